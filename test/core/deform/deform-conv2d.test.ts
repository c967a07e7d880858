import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deformConv2d } from '../../../src/core/deform';
import { setDeformKernel } from '../../../src/core/deform/deform-conv2d';
import { checkGradients, rand, randVar, weightedSum } from '../../nn/coordinate-grad-check';
import { expectClose } from '../helpers';
import { refDeformConv2d } from './reference';

// Reference semantics: torchvision.ops.deform_conv2d (csrc/ops/cpu/deform_conv2d_kernel.cpp:
// bilinear_interpolate, deformable_im2col and the col2im / col2im_coord backward), in tfjs's NHWC
// layout; `reference.ts` transcribes those loops directly. Both sampling kernels (JS loops for
// cpu/wasm, tensor ops for WebGL/WebGPU) are checked against the same expectations.

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});
afterAll(() => setDeformKernel('auto'));

const KERNELS = ['loops', 'tensors'] as const;

/** tf.conv2d with torchvision's symmetric padding and channel groups (tfjs's conv2d has none: one conv a group). */
function groupedConv(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, pad: number, dilation: number, groups: number): tf.Tensor4D {
  return tf.tidy(() => {
    const xs = tf.split(x, groups, 3);
    const ws = tf.split(w, groups, 3);
    const padding = [[0, 0], [pad, pad], [pad, pad], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]];
    const outs = xs.map((xi, q) => tf.conv2d(xi as tf.Tensor4D, ws[q] as tf.Tensor4D, stride, padding, 'NHWC', dilation));
    return (groups === 1 ? outs[0] : tf.concat(outs, 3)) as tf.Tensor4D;
  });
}

function outSize(n: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((n + 2 * p - (d * (k - 1) + 1)) / s) + 1;
}

describe.each(KERNELS)('deformConv2d (%s kernel)', (kernel) => {
  beforeEach(() => setDeformKernel(kernel));

  it('equals tf.conv2d at zero offsets, for every stride, padding, dilation and groups', () => {
    // tfjs's conv2d refuses stride > 1 together with dilation > 1; those pairs are checked against the
    // torchvision transcription in the next test instead.
    for (const stride of [1, 2, 3]) {
      for (const pad of [0, 1, 2]) {
        for (const dilation of [1, 2]) {
          if (stride > 1 && dilation > 1) continue;
          for (const groups of [1, 2, 4]) {
            tf.tidy(() => {
              const x = rand([2, 9, 8, 4], 1) as tf.Tensor4D;
              const w = rand([3, 3, 4 / groups, 8], 2) as tf.Tensor4D;
              const oh = outSize(9, 3, stride, pad, dilation);
              const ow = outSize(8, 3, stride, pad, dilation);
              const offset = tf.zeros([2, oh, ow, 18]) as tf.Tensor4D;
              const got = deformConv2d(x, offset, w, { stride, padding: pad, dilation, groups });
              const want = groupedConv(x, w, stride, pad, dilation, groups);
              expect(got.shape, `stride ${stride} pad ${pad} dilation ${dilation} groups ${groups}`).toEqual(want.shape);
              expectClose(got.arraySync(), want.arraySync(), 1e-5);
            });
          }
        }
      }
    }
  });

  it('equals the torchvision transcription with stride and dilation together, a non-square kernel, offset groups, mask and bias', () => {
    tf.tidy(() => {
      const x = rand([2, 7, 9, 4], 3) as tf.Tensor4D;
      const w = rand([2, 3, 2, 6], 4) as tf.Tensor4D;
      const opts = { stride: [2, 1] as [number, number], padding: [1, 2] as [number, number], dilation: [1, 2] as [number, number], groups: 2, offsetGroups: 2 };
      const oh = outSize(7, 2, 2, 1, 1);
      const ow = outSize(9, 3, 1, 2, 2);
      // Offsets up to ±2.5 pixels send some taps past the border, where samples fade to zero.
      const offset = tf.mul(rand([2, oh, ow, 2 * 2 * 6], 5), 2.5) as tf.Tensor4D;
      const mask = tf.sigmoid(rand([2, oh, ow, 2 * 6], 6)) as tf.Tensor4D;
      const bias = rand([6], 7) as tf.Tensor1D;
      const got = deformConv2d(x, offset, w, { ...opts, mask, bias });
      const want = refDeformConv2d(x.arraySync(), offset.arraySync(), w.arraySync(), {
        ...opts,
        mask: mask.arraySync(),
        bias: bias.arraySync(),
      });
      expectClose(got.arraySync(), want, 1e-5);
    });
  });

  it('equals a shifted convolution at integer offsets', () => {
    tf.tidy(() => {
      const x = rand([1, 6, 7, 3], 8) as tf.Tensor4D;
      const w = rand([3, 3, 3, 5], 9) as tf.Tensor4D;
      // Every tap moved by (Δy, Δx) = (1, -2): the conv of the image shifted so that s[y][x] = x[y+1][x-2],
      // zero where that falls outside (as deformConv2d's samples outside the image are zero). Without padding
      // every tap of the shifted conv stays on s's 6x7 canvas, so the two agree everywhere.
      const offset = tf.tile(tf.tensor4d([1, -2], [1, 1, 1, 2]), [1, 4, 5, 9]) as tf.Tensor4D;
      const shifted = tf.pad(tf.slice(x, [0, 1, 0, 0], [1, 5, 5, 3]), [[0, 0], [0, 1], [2, 0], [0, 0]]) as tf.Tensor4D;
      expectClose(deformConv2d(x, offset, w).arraySync(), tf.conv2d(shifted, w, 1, 'valid').arraySync());
      // Tap (i, j) moved by (i - 1, j - 1): the 3x3 kernel spreads to every other pixel, a conv with dilation 2.
      const spread = Array.from({ length: 9 }, (_, m) => [Math.floor(m / 3) - 1, (m % 3) - 1]).flat();
      const spreadOffset = tf.tile(tf.tensor4d(spread, [1, 1, 1, 18]), [1, 6, 7, 1]) as tf.Tensor4D;
      expectClose(
        deformConv2d(x, spreadOffset, w, { padding: 1 }).arraySync(),
        tf.conv2d(x, w, 1, [[0, 0], [2, 2], [2, 2], [0, 0]], 'NHWC', 2).arraySync(),
      );
    });
  });

  it('matches hand-worked bilinear samples at fractional offsets', () => {
    tf.tidy(() => {
      // 2x2 image [[1, 2], [3, 5]], a 1x1 kernel of weight 1: the output is the sample itself.
      const x = tf.tensor4d([1, 2, 3, 5], [1, 2, 2, 1]);
      const w = tf.ones([1, 1, 1, 1]) as tf.Tensor4D;
      const offset = tf.tensor4d(
        [
          [0.25, 0.5], // pixel (0,0) samples (0.25, 0.5): .75·.5·1 + .75·.5·2 + .25·.5·3 + .25·.5·5 = 2.125
          [-0.5, -0.5], // pixel (0,1) samples (-0.5, 0.5): the row above is outside (0), .5·.5·1 + .5·.5·2 = 0.75
          [0.5, 0], // pixel (1,0) samples (1.5, 0): the row below is outside, .5·3 = 1.5
          [-2, -1.5], // pixel (1,1) samples (-1, -0.5): at y = -1 every weight sits outside, 0
        ].flat(),
        [1, 2, 2, 2],
      );
      expectClose(deformConv2d(x, offset, w).arraySync(), [[[[2.125], [0.75]], [[1.5], [0]]]]);
      // DCN v2: the mask scales each sample, 0.5 · 2.125 = 1.0625 and so on.
      const mask = tf.tensor4d([0.5, 1, 0.2, 1], [1, 2, 2, 1]);
      expectClose(deformConv2d(x, offset, w, { mask }).arraySync(), [[[[1.0625], [0.75]], [[0.3], [0]]]]);
      // A 2-tap 1x2 kernel [1, 10] at pixel (0,0) with padding 0 on a 2x2 image: one output per row.
      // Tap 0 samples (0, 0) + (0.5, 0) = (0.5, 0): .5·1 + .5·3 = 2; tap 1 samples (0, 1) + (0, -0.25) = (0, 0.75):
      // .25·1 + .75·2 = 1.75, so 1·2 + 10·1.75 = 19.5. Row 1: both taps with zero offset, 1·3 + 10·5 = 53.
      const w2 = tf.tensor4d([1, 10], [1, 2, 1, 1]);
      const off2 = tf.tensor4d([0.5, 0, 0, -0.25, 0, 0, 0, 0], [1, 2, 1, 4]);
      expectClose(deformConv2d(x, off2, w2).arraySync(), [[[[19.5]], [[53]]]]);
    });
  });

  it('gradients match numerical gradients in input, offset, mask, filter and bias', () => {
    const x = randVar([1, 5, 5, 4], 11, `dcn-x-${kernel}`);
    const w = randVar([3, 3, 2, 4], 12, `dcn-w-${kernel}`);
    const b = randVar([4], 13, `dcn-b-${kernel}`);
    // Fractional parts kept in [0.2, 0.8]: bilinear sampling has kinks at integer positions, where a
    // central difference of step 1e-2 would straddle two slopes.
    const offVals = tf.tidy(() => tf.add(tf.round(tf.mul(rand([1, 5, 5, 36], 14), 2)), tf.add(0.5, tf.mul(rand([1, 5, 5, 36], 15), 0.3))));
    const off = tf.variable(offVals, true, `dcn-off-${kernel}`);
    offVals.dispose();
    const maskVals = tf.tidy(() => tf.sigmoid(rand([1, 5, 5, 18], 16)));
    const mask = tf.variable(maskVals, true, `dcn-mask-${kernel}`);
    maskVals.dispose();
    const loss = () =>
      weightedSum(
        deformConv2d(x as tf.Tensor as tf.Tensor4D, off as tf.Tensor as tf.Tensor4D, w as tf.Tensor as tf.Tensor4D, {
          bias: b as tf.Tensor as tf.Tensor1D,
          mask: mask as tf.Tensor as tf.Tensor4D,
          padding: 1,
          groups: 2,
          offsetGroups: 2,
        }),
      );
    checkGradients(loss, [x, off, mask, w, b], 16);
    tf.dispose([x, w, b, off, mask]);
  });

  it('gradients without a mask (DCN v1) match numerical gradients', () => {
    const x = randVar([2, 4, 4, 2], 21, `dcn1-x-${kernel}`);
    const w = randVar([3, 3, 2, 3], 22, `dcn1-w-${kernel}`);
    const offVals = tf.tidy(() => tf.add(0.5, tf.mul(rand([2, 2, 2, 18], 23), 0.3)));
    const off = tf.variable(offVals, true, `dcn1-off-${kernel}`);
    offVals.dispose();
    const loss = () => weightedSum(deformConv2d(x as tf.Tensor as tf.Tensor4D, off as tf.Tensor as tf.Tensor4D, w as tf.Tensor as tf.Tensor4D, { stride: 2, padding: 1 }));
    checkGradients(loss, [x, off, w], 16);
    tf.dispose([x, w, off]);
  });
});

describe('deformConv2d: bad input names the argument', () => {
  const x = () => tf.zeros([1, 5, 5, 4]) as tf.Tensor4D;
  const w = (cin = 4) => tf.zeros([3, 3, cin, 8]) as tf.Tensor4D;
  const off = (ch = 18, h = 3) => tf.zeros([1, h, h, ch]) as tf.Tensor4D;

  it('offsets of the wrong shape', () => {
    tf.tidy(() => {
      expect(() => deformConv2d(x(), off(17), w())).toThrow(/deformConv2d: 'offset' must be .*2·offsetGroups·3·3.*got shape \[1,3,3,17\]/);
      expect(() => deformConv2d(x(), off(18, 5), w())).toThrow(/'offset' must be \[1,3,3,18\]/);
      expect(() => deformConv2d(x(), tf.zeros([3, 3, 18]) as unknown as tf.Tensor4D, w())).toThrow(/'offset' must be/);
      expect(() => deformConv2d(x(), off(36), w(), { offsetGroups: 3 })).toThrow(/'offsetGroups' must be a divisor of the input channels 4 \(allowed: 1, 2, 4\)/);
    });
  });

  it('groups that do not divide the channels', () => {
    tf.tidy(() => {
      expect(() => deformConv2d(x(), off(), w(4), { groups: 3 })).toThrow(/'groups' must be a divisor of both the input channels \(4\) and the filter's output channels \(8\) \(allowed: 1, 2, 4\), got 3/);
      expect(() => deformConv2d(x(), off(), w(4), { groups: 2 })).toThrow(/'filter' must be \[kh, kw, Cin\/groups = 2, Cout\]/);
    });
  });

  it('mask, bias, stride and padding of the wrong kind', () => {
    tf.tidy(() => {
      expect(() => deformConv2d(x(), off(), w(), { mask: tf.zeros([1, 3, 3, 18]) as tf.Tensor4D })).toThrow(/'mask' must be \[1,3,3,9\]/);
      expect(() => deformConv2d(x(), off(), w(), { bias: tf.zeros([4]) as tf.Tensor1D })).toThrow(/'bias' must be a \[8\] tensor/);
      expect(() => deformConv2d(x(), off(), w(), { stride: 0 })).toThrow(/'stride' must be a whole number >= 1/);
      expect(() => deformConv2d(x(), off(), w(), { padding: -1 })).toThrow(/'padding' must be a whole number >= 0/);
    });
  });
});
