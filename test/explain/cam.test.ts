import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cam, EigenCam, explain, GradCam, GradCamPlusPlus, listExplainers, ScoreCam } from '../../src/explain';
import { digit, lesson1Cnn, testDigits } from './helpers';

// Reference: pytorch-grad-cam (jacobgil) BaseCAM and its GradCAM / GradCAMPlusPlus / ScoreCAM / EigenCAM
// weights; Selvaraju et al. 2017 eq. 1-2 for Grad-CAM; Zhou et al. 2016 eq. 2 for CAM.

/**
 * Two layers: a 1x1 convolution with 2 filters (kernel [1, 0.5], bias [0, 1], no activation) on a 2x2x1
 * image, then Flatten -> Dense(2) with the kernel below (rows in Flatten's (i, j, k) order).
 */
function twoLayerModel(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [2, 2, 1], filters: 2, kernelSize: 1, name: 'conv' }));
  m.add(tf.layers.flatten({ name: 'flat' }));
  m.add(tf.layers.dense({ units: 2, name: 'fc' }));
  m.layers[0].setWeights([tf.tensor4d([1, 0.5], [1, 1, 1, 2]), tf.tensor1d([0, 1])]);
  // row (i*2 + j)*2 + k: [class 0, class 1]
  const kernel = [[1, -1], [0, 0], [0, -1], [2, 0], [0, -1], [2, 0], [1, -1], [0, 4]];
  m.layers[2].setWeights([tf.tensor2d(kernel), tf.zeros([2])]);
  return m;
}

describe('Grad-CAM and the CAM family', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('Grad-CAM on a hand-built two-layer model matches values worked by hand', async () => {
    const model = twoLayerModel();
    before = tf.memory().numTensors;
    const x = tf.tensor4d([1, 2, 3, 0], [1, 2, 2, 1]);
    // Activations: A1 = x = [[1,2],[3,0]], A2 = 0.5x + 1 = [[1.5,2],[2.5,1]].
    // The Dense layer is linear in A, so dy_c/dA_ijk is the kernel entry for (i, j, k).
    // Class 0: channel 0 entries [1,0,0,1] -> alpha_1 = 2/4 = 0.5; channel 1 [0,2,2,0] -> alpha_2 = 1.
    //   map = ReLU(0.5 x + (0.5x + 1)) = x + 1 = [[2,3],[4,1]].
    // Class 1: channel 0 [-1,-1,-1,-1] -> alpha_1 = -1; channel 1 [0,0,0,4] -> alpha_2 = 1.
    //   map = ReLU(-x + 0.5x + 1) = ReLU(1 - 0.5x) = [[0.5,0],[0,1]] (x = 3 gives -0.5, clipped).
    const m0 = await new GradCam().explain({ model, input: x, target: 0, layer: 'conv' });
    const m1 = await new GradCam().explain({ model, input: x, target: 1, layer: 'conv' });
    expect(Array.from(m0.dataSync())).toEqual([2, 3, 4, 1].map((v) => expect.closeTo(v, 5)));
    expect(Array.from(m1.dataSync())).toEqual([0.5, 0, 0, 1].map((v) => expect.closeTo(v, 5)));
    tf.dispose([m0, m1, x]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    before = tf.memory().numTensors;
  });

  it('refuses an unknown layer (listing the layers) and a class out of range', async () => {
    const model = twoLayerModel();
    before = tf.memory().numTensors;
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    await expect(new GradCam().explain({ model, input: x, layer: 'conv9' })).rejects.toThrow(/'layer' must be one of the model's layers: conv, flat, fc/);
    await expect(new GradCam().explain({ model, input: x, layer: 'conv', target: 2 })).rejects.toThrow(/'target' must be a class index, an integer from 0 to 1/);
    await expect(new Cam().explain({ model, input: x, layer: 'conv', target: 0 })).rejects.toThrow(/GlobalAveragePooling2D/);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    before = tf.memory().numTensors;
  });

  it('CAM equals Grad-CAM times hw on a GAP-linear head (the shipped Lesson 1 CNN, a softmax model scored on its logits)', async () => {
    const model = await lesson1Cnn();
    const { xs } = await testDigits(3);
    before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const x = digit(xs, i);
      for (const target of [0, 7]) {
        // dy_c/dA_kij = w_kc / (h w) through the average pool, so alpha_k = w_kc / 49 at 7x7.
        const cam = await new Cam().explain({ model, input: x, target, layer: 'conv2d_Conv2D3' });
        const grad = await new GradCam().explain({ model, input: x, target, layer: 'conv2d_Conv2D3' });
        expect(cam.shape).toEqual([7, 7]);
        const c = cam.dataSync();
        const g = grad.dataSync();
        const peak = Math.max(...c);
        expect(peak).toBeGreaterThan(0);
        c.forEach((v, k) => expect(Math.abs(v - 49 * g[k])).toBeLessThan(1e-4 * peak));
        tf.dispose([cam, grad]);
      }
      x.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    xs.dispose();
    model.dispose();
    before = tf.memory().numTensors;
  });

  it('Grad-CAM++, Score-CAM and Eigen-CAM give non-negative maps that find the digit, through the registry, with no leak', async () => {
    const model = await lesson1Cnn();
    const { xs } = await testDigits(2);
    before = tf.memory().numTensors;
    expect(listExplainers().map((e) => e.name)).toEqual(['cam', 'grad-cam', 'grad-cam++', 'score-cam', 'eigen-cam', 'saliency', 'guided-backprop', 'occlusion']);
    for (const method of ['grad-cam++', 'score-cam', 'eigen-cam']) {
      const x = digit(xs, 0);
      const m = await explain(method, { model, input: x, layer: 'conv2d_Conv2D3' });
      expect(m.shape).toEqual([7, 7]);
      const v = m.dataSync();
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
      // The digit sits in the middle of a 28x28 MNIST image: the map's mass inside the central 5x5 cells
      // (pixels 4..23) exceeds the border ring's.
      let inner = 0, outer = 0;
      v.forEach((val, k) => ((Math.floor(k / 7) % 6 === 0 || (k % 7) % 6 === 0) ? (outer += val) : (inner += val)));
      expect(inner, method).toBeGreaterThan(outer);
      tf.dispose([m, x]);
    }
    expect(tf.memory().numTensors).toBe(before);
    xs.dispose();
    model.dispose();
    before = tf.memory().numTensors;
  });

  it('Grad-CAM++ weights on the hand model follow the closed form', async () => {
    const model = twoLayerModel();
    before = tf.memory().numTensors;
    const x = tf.tensor4d([1, 2, 3, 0], [1, 2, 2, 1]);
    // Class 0, channel 1: gradients g = [0,2,2,0], sum of A2 = 7. Where g = 2:
    // a = g^2 / (2 g^2 + 7 g^3) = 4 / (8 + 56) = 1/16; weight = sum a * relu(g) = 2 * (1/16) * 2 = 0.25.
    // Channel 0: g = [1,0,0,1], sum of A1 = 6: a = 1 / (2 + 6) = 1/8; weight = 2 * (1/8) * 1 = 0.25.
    // map = ReLU(0.25 x + 0.25 (0.5x + 1)) = 0.375 x + 0.25 = [[0.625, 1], [1.375, 0.25]].
    const m = await new GradCamPlusPlus().explain({ model, input: x, target: 0, layer: 'conv' });
    expect(Array.from(m.dataSync())).toEqual([0.625, 1, 1.375, 0.25].map((v) => expect.closeTo(v, 5)));
    tf.dispose([m, x]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    before = tf.memory().numTensors;
  });

  it('Score-CAM weights are a softmax of the masked scores; Eigen-CAM needs no class', async () => {
    const model = twoLayerModel();
    before = tf.memory().numTensors;
    const x = tf.tensor4d([1, 2, 3, 0], [1, 2, 2, 1]);
    // Both channels are affine in x with positive slope, so both min-max masks are x / 3 = [[1/3,2/3],[1,0]];
    // the masked image is x * x / 3 = [[1/3, 4/3], [3, 0]]. Its class-0 logit: the model is
    // y0 = sum_k V0_k . A_k with A1 = m, A2 = 0.5 m + 1 → y0 = (1/3 + 0) + 2(0.5*4/3 + 1) + 2(0.5*3 + 1) + 0 = 1/3 + 10/3 + 5 = 26/3.
    // Both channels give the same score, so the softmax weights are 1/2 each:
    // map = ReLU(0.5 x + 0.5 (0.5 x + 1)) = 0.75 x + 0.5 = [[1.25, 2], [2.75, 0.5]].
    const m = await new ScoreCam().explain({ model, input: x, target: 0, layer: 'conv' });
    expect(Array.from(m.dataSync())).toEqual([1.25, 2, 2.75, 0.5].map((v) => expect.closeTo(v, 4)));
    // Eigen-CAM: the activations [x, 0.5x + 1] centred are [x - 1.5, 0.5 (x - 1.5)], all along (1, 0.5):
    // the first component is (2, 1)/sqrt(5) and the projection is sqrt(5)/2 (x - 1.5), ReLU'd: [[0,0.559],[1.677,0]].
    const e = await new EigenCam().explain({ model, input: x, layer: 'conv' });
    const s = Math.sqrt(5) / 2;
    expect(Array.from(e.dataSync())).toEqual([0, 0.5 * s, 1.5 * s, 0].map((v) => expect.closeTo(v, 4)));
    tf.dispose([m, e, x]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    before = tf.memory().numTensors;
  });
});
