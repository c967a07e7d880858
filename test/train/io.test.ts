import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { smallCnnClassifier } from '../../src/models/small/classifiers';
import { modelFromFiles, modelToFiles } from '../../src/train/io';

describe('model files (tfjs layers-model format)', () => {
  it('round-trips a model through model.json + weights.bin with identical outputs', async () => {
    const base = tf.memory().numTensors;
    const model = smallCnnClassifier({ filters: [4, 8], seed: 5 });
    const files = await modelToFiles(model);
    const json = JSON.parse(files.modelJson);
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    // float32 weights: 4 bytes per parameter
    expect(files.weights.length).toBe(model.countParams() * 4);
    const copy = await modelFromFiles(files.modelJson, files.weights);
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 7);
    const [a, b] = [model.predict(x) as tf.Tensor, copy.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
