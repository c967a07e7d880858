import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectNumericAnswer, loadQuizSpecs, type QuizSpec } from '../helpers/quiz-specs';
import { backwardSteps, Cam, GradCam, occlusion } from '../../src/explain/index';

/**
 * Lesson 17's numeric quiz answers recomputed with src/explain, read through
 * the real quiz plugin, so a quiz that drifts from what the library computes fails.
 */
let specs = new Map<string, QuizSpec>();
beforeAll(async () => {
  specs = await loadQuizSpecs('17-cnn-visualization');
});
let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => expect(tf.memory().numTensors).toBe(baseline));

describe('lesson 17 quiz answers', () => {
  it('gradcam-weight: the mean gradient, through GradCam on a model whose gradients are the given ones', async () => {
    // conv 1x1 (identity, one channel) -> flatten -> dense with kernel [1, 3, 0, -2]: dy/dA = the kernel.
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [2, 2, 1], filters: 1, kernelSize: 1, useBias: false, kernelInitializer: 'ones', name: 'conv' }));
    model.add(tf.layers.flatten({}));
    model.add(tf.layers.dense({ units: 1, useBias: false, name: 'fc' }));
    const k = tf.tensor2d([[1], [3], [0], [-2]]);
    model.layers[2].setWeights([k]);
    k.dispose();
    // with A = 1 everywhere the map is ReLU(alpha * 1) = alpha
    const x = tf.ones([1, 2, 2, 1]) as tf.Tensor4D;
    const m = await new GradCam().explain({ model, input: x, target: 0, layer: 'conv' });
    expectNumericAnswer(specs, 'gradcam-weight', m.dataSync()[0]!);
    tf.dispose([m, x]);
    model.dispose();
  });

  it('cam-vs-gradcam: CAM / Grad-CAM on a 7x7x32 GAP-linear head', async () => {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [7, 7, 2], filters: 32, kernelSize: 1, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }), name: 'feat' }));
    model.add(tf.layers.globalAveragePooling2d({}));
    model.add(tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }));
    const x = tf.randomUniform([1, 7, 7, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    const cam = await new Cam().explain({ model, input: x, target: 1, layer: 'feat' });
    const grad = await new GradCam().explain({ model, input: x, target: 1, layer: 'feat' });
    const c = cam.dataSync();
    const g = grad.dataSync();
    const at = c.indexOf(Math.max(...c));
    expect(c[at]).toBeGreaterThan(0);
    // float32 maps: the ratio is 49 to about 6 significant digits
    expectNumericAnswer(specs, 'cam-vs-gradcam', Math.round((c[at]! / g[at]!) * 1e3) / 1e3);
    tf.dispose([cam, grad, x]);
    model.dispose();
  });

  it('chain-rule and occlusion-positions', async () => {
    expectNumericAnswer(specs, 'chain-rule', backwardSteps({ x: 2, w: 3, b: -6 }).grads.w);
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
    model.add(tf.layers.dense({ units: 2 }));
    const x = tf.zeros([1, 28, 28, 1]) as tf.Tensor4D;
    const m = await occlusion({ model, input: x, target: 0, patch: 6, stride: 2 });
    expectNumericAnswer(specs, 'occlusion-positions', m.size);
    tf.dispose([m, x]);
    model.dispose();
  });
});
