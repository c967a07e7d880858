/**
 * Layers and blocks the model zoo is built from (cells see it as `nn`).
 * Each layer or block is one file; custom tf.layers register themselves for
 * serialization when their file is imported.
 */
export { profile, layerMacs, type LayerProfile, type ModelProfile, type CountsMacs } from './profile';
