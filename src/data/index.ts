/** Datasets and augmentation: plain-data scenes, seeded, identical in Node and the browser. */
export { createRng, deriveSeed, type Rng } from '../util/random';
export { loadBytes, setByteLoader, setDataRoot, type ByteLoader } from './load-bytes';
export { packImageSet, unpackImageSet, type ImageSet } from './packed';
export { imageAt, type BatchOptions, type ClassBatch } from './batches';
export { loadMnist, mnistBatches, mnistSplit, MNIST_TEST, MNIST_TRAIN } from './mnist';
export { loadFashionMnist, fashionMnistBatches, FASHION_CLASSES, FASHION_TEST, FASHION_TRAIN } from './fashion-mnist';
export { resize } from './resize';
export { shiftImages } from './shift';
export { warpDigits, warpImage, randomWarp, warpedDigitBatches, type Warp, type WarpOptions } from './warped-digits';
export { cropImages, type CropOptions, type CropPosition } from './crop';
export { INK_THRESHOLD, maskInk, scenesToTensors, type Scene, type SceneMask, type SceneObject, type SceneTensors } from './scene';
export { digitScenes, digitScenesFrom, digitGlyph, DIGIT_CLASSES, type DigitSceneOptions } from './digit-scenes';
export { sceneBatches, sceneBatchesFrom, type SceneBatch, type SceneBatchOptions } from './scene-batches';
export { shapeScenes, shapeGlyph, SHAPE_CLASSES, type ShapeSceneOptions } from './shape-scenes';
export { classWeights } from './class-weights';
export { toCoco, fromCoco, type CocoGroundTruth } from './coco';
export { augmentScenes, copyPaste, hflip, vflip, scaleJitter, scaleScene, cloneScene, type AugmentOptions, type CopyPasteOptions, type ScaleJitterOptions } from './augment';
export { pastePatch, type Patch } from './paint';
/** IoU of two plain [x1,y1,x2,y2] boxes: the core's one plain-array IoU (the tensor version is `core.boxIou`). */
export { plainBoxIou as boxIoU } from '../core/boxes/plain-iou';
