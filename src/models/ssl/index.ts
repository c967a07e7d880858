/**
 * Self-supervised learning (Lesson 5): models that learn features from
 * unlabelled images, built from the layer room's ViT pieces.
 * - `mae.ts`: masked autoencoder (He et al. 2022): `createMae`, `Mae`, `MAE_TINY`
 * - `dino.ts`: self-distillation with a momentum teacher (Caron et al. 2021): `createDino`, `Dino`, `DINO_TINY`
 * - `patches.ts`, `mae-loss.ts`, `dino-loss.ts`, `multi-crop.ts`: their parts, each testable alone
 * - `knn.ts`: the weighted k-NN accuracy both are scored with
 */
export { Mae, createMae, MAE_TINY, type MaeConfig, type MaeForwardOptions, type MaeOutput } from './mae';
export { maeLoss, normalisePatches } from './mae-loss';
export { MaskToken } from './mask-token';
export { patchify, unpatchify, randomMasking, gatherTokens, scatterTokens, visibleCount, checkMaskRatio, type PatchMask } from './patches';
export { Dino, createDino, buildDinoNetwork, DINO_TINY, type DinoConfig, type DinoStepResult, type CollapseStats } from './dino';
export { dinoLoss, updatedCenter, teacherMomentum } from './dino-loss';
export { PrototypeLayer } from './dino-head';
export { multiCrop, type MultiCropOptions } from './multi-crop';
export { knnAccuracy } from './knn';
