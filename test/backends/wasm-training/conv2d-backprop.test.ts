import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndWasm, expectClose, rand, useWasmWithKernels } from './compare';
import { conv2dFilterGradOptions } from '../../../src/backends/wasm-training/conv2d-backprop-filter';

// Reference: tfjs-backend-cpu's Conv2DBackpropFilter / Conv2DBackpropInput
// (the TensorFlow definitions: gradients of conv2d w.r.t. filter and input).
type Case = {
  name: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
  round?: 'ceil' | 'round';
};

const cases: Case[] = [
  { name: '3x3 same stride 1, batch 2, CI 3', x: [2, 7, 6, 3], f: [3, 3, 3, 5], strides: 1, pad: 'same' },
  { name: '3x3 valid stride 1, CI 5 (not /4)', x: [3, 6, 7, 5], f: [3, 3, 5, 6], strides: 1, pad: 'valid' },
  { name: '3x3 same stride 2 (odd size)', x: [2, 7, 9, 4], f: [3, 3, 4, 3], strides: 2, pad: 'same' },
  { name: '3x3 valid stride 2', x: [2, 8, 7, 3], f: [3, 3, 3, 2], strides: 2, pad: 'valid' },
  { name: '2x2 same (asymmetric padding)', x: [2, 5, 6, 3], f: [2, 2, 3, 4], strides: 1, pad: 'same' },
  { name: '5x3 same, strides [2,1]', x: [2, 9, 6, 2], f: [5, 3, 2, 3], strides: [2, 1], pad: 'same' },
  { name: '1x1 stride 1', x: [2, 4, 5, 7], f: [1, 1, 7, 9], strides: 1, pad: 'valid' },
  { name: '4x4 stride 4 valid (patchify)', x: [2, 8, 8, 3], f: [4, 4, 3, 6], strides: 4, pad: 'valid' },
  { name: 'explicit pad 1, stride 2', x: [2, 6, 6, 3], f: [3, 3, 3, 4], strides: 2, pad: 1 },
  { name: 'explicit asymmetric pads', x: [1, 6, 5, 2], f: [3, 3, 2, 3], strides: 1, pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  // Padding wider than the kernel: the transposed conv would need negative padding, so the input gradient uses the built-in.
  { name: 'explicit pad 3 on a 3x3 kernel', x: [2, 4, 5, 2], f: [3, 3, 2, 3], strides: 1, pad: 3 },
  // Stride 2, pad 2: the phase with the single middle tap would need negative padding, so this takes the zero-insertion path.
  { name: 'explicit pad 2, stride 2 (zero-insertion path)', x: [2, 7, 6, 3], f: [3, 3, 3, 2], strides: 2, pad: 2 },
  // (6 + 2 - 3) / 2 + 1 = 3.5 output rows: 'ceil' makes 4, the last window hanging over the edge.
  { name: 'dimRoundingMode ceil, stride 2, pad 1', x: [1, 6, 6, 2], f: [3, 3, 2, 2], strides: 2, pad: 1, round: 'ceil' },
];

function outShape(c: Case): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, 1, c.pad as never, c.round);
  return info.outShape;
}

describe('wasm Conv2DBackpropFilter and Conv2DBackpropInput match the CPU backend', () => {
  beforeAll(useWasmWithKernels);

  for (const [i, c] of cases.entries()) {
    it(`filter gradient: ${c.name}`, async () => {
      const dyShape = outShape(c);
      const [[cpu], [wasm]] = await cpuAndWasm(() =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x: rand(c.x, 10 + i), dy: rand(dyShape, 50 + i) }, {
          strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f, ...(c.round ? { dimRoundingMode: c.round } : {}),
        }) as tf.Tensor,
      );
      expectClose(wasm, cpu);
    });

    it(`input gradient: ${c.name}`, async () => {
      const dyShape = outShape(c);
      const [[cpu], [wasm]] = await cpuAndWasm(() =>
        tf.engine().runKernel('Conv2DBackpropInput', { dy: rand(dyShape, 70 + i), filter: rand(c.f, 90 + i) }, {
          strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x, ...(c.round ? { dimRoundingMode: c.round } : {}),
        }) as tf.Tensor,
      );
      expectClose(wasm, cpu);
    });
  }

  it('filter gradient is the same when the patch matrix is built a few images at a time', async () => {
    const c = cases[0];
    const keep = conv2dFilterGradOptions.chunkElements;
    // Stride 1 takes the grid path: 27 taps x (9x8 padded grid) = 1944 elements per image; 2000 forces one image per chunk.
    conv2dFilterGradOptions.chunkElements = 2000;
    try {
      const [[cpu], [wasm]] = await cpuAndWasm(() =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x: rand([3, 7, 6, 3], 1), dy: rand([3, 7, 6, 5], 2) }, {
          strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: c.f,
        }) as tf.Tensor,
      );
      expectClose(wasm, cpu);
    } finally {
      conv2dFilterGradOptions.chunkElements = keep;
    }
  });

  it('strided filter gradient is the same when patches are gathered one image at a time', async () => {
    const keep = conv2dFilterGradOptions.chunkElements;
    // 3x3x4 taps x (4x5 output pixels) = 720 elements per image; 800 forces one image per chunk.
    conv2dFilterGradOptions.chunkElements = 800;
    try {
      const [[cpu], [wasm]] = await cpuAndWasm(() =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x: rand([3, 7, 9, 4], 5), dy: rand([3, 4, 5, 3], 6) }, {
          strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 4, 3],
        }) as tf.Tensor,
      );
      expectClose(wasm, cpu);
    } finally {
      conv2dFilterGradOptions.chunkElements = keep;
    }
  });

  it('a hand-worked 1x1 case: dW = sum over pixels of x * dy', async () => {
    // x = [1,2,3] (one channel, 1x3), dy = [1,1,2]: dW = 1*1 + 2*1 + 3*2 = 9.
    const [[cpu], [wasm]] = await cpuAndWasm(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d([1, 2, 3], [1, 1, 3, 1]), dy: tf.tensor4d([1, 1, 2], [1, 1, 3, 1]) }, {
        strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [1, 1, 1, 1],
      }) as tf.Tensor,
    );
    expect(Array.from(wasm)).toEqual([9]);
    expect(Array.from(cpu)).toEqual([9]);
  });

  it('tf.grads of conv2d through both backends agree (the path training takes)', async () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')));
    const [cpu, wasm] = await cpuAndWasm(() => tf.grads(f)([rand([2, 9, 8, 5], 3), rand([3, 3, 5, 6], 4)]));
    expectClose(wasm[0], cpu[0]);
    expectClose(wasm[1], cpu[1]);
  });
});
