import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { activationsAndGrads, classScore, GradCam } from '../../src/explain';
import { gradCamMap } from '../../lessons/17-cnn-visualization/exercises/grad-cam-map';

// Lesson 17's exercise reference against the library: on a seeded conv -> flatten -> dense model, the
// reference fed with explain.activationsAndGrads' numbers gives explain.GradCam's map.
describe('lesson 17 exercise: Grad-CAM map', () => {
  it('the reference agrees with explain.GradCam', async () => {
    const before = tf.memory().numTensors;
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [5, 5, 1], filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }), name: 'conv' }));
    model.add(tf.layers.flatten({}));
    model.add(tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }));
    const x = tf.randomUniform([1, 5, 5, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    for (const target of [0, 1, 2, 3]) {
      const { a, g } = tf.tidy(() => {
        const r = activationsAndGrads(model, x, 'conv', classScore(target));
        // [1, h, w, C] -> [C][h][w]
        return { a: tf.transpose(r.activations, [0, 3, 1, 2]).squeeze([0]).arraySync() as number[][][], g: tf.transpose(r.grads, [0, 3, 1, 2]).squeeze([0]).arraySync() as number[][][] };
      });
      const mine = gradCamMap(a, g);
      const lib = await new GradCam().explain({ model, input: x, target, layer: 'conv' });
      const ref = lib.arraySync();
      lib.dispose();
      ref.forEach((row, i) => row.forEach((v, j) => expect(mine[i]![j]!).toBeCloseTo(v, 5)));
    }
    x.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
