/**
 * The small runs of Lesson 2's AlexNet and GoogLeNet sections, one file each,
 * shared by the page (live, behind a button) and `npm run train:weights`
 * (every knob value, shipped as curves the page opens on).
 */
export { accuracyOn, firstDigits, gradientNorms, probeBatch, type DigitBatch, type DigitSet, type Experiment } from './common';
export { ACTIVATION_RECIPE, activationExperiment, type ActivationResult } from './activation';
export { DROPOUT_RECIPE, dropoutExperiment, type DropoutResult } from './dropout';
export { AUGMENTATION_RECIPE, augmentationExperiment, randomShifts, type AugmentationResult } from './augmentation';
export { AUX_LOSS_RECIPE, auxLossExperiment, type AuxLossResult } from './aux-loss';
