import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndWasm, expectClose, onBackend, rand, relErr, useWasmWithKernels } from './compare';

// Reference: tfjs-backend-cpu's DepthwiseConv2dNativeBackpropFilter/Input
// (TensorFlow's depthwise_conv2d gradients; output channel c*CM + m belongs to
// input channel c and multiplier m). tfjs-backend-cpu's two kernels ignore
// `dilations` (its xR = wR + yR*stride - pad has no dilation factor; training
// never reaches them with dilation > 1 because tfjs's depthwise gradient
// asserts dilation 1). So for dilated cases the reference is the CPU kernel on
// the equivalent undilated problem: a filter of size (K-1)*d+1 with zeros
// between the taps, whose gradient at the real taps is the dilated gradient.
type Case = {
  name: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'same' | 'valid' | number;
};

const cases: Case[] = [
  { name: '3x3 same stride 1, CI 5', x: [2, 6, 7, 5], f: [3, 3, 5, 1], strides: 1, dilations: 1, pad: 'same' },
  { name: '3x3 same stride 2, multiplier 2', x: [2, 7, 6, 3], f: [3, 3, 3, 2], strides: 2, dilations: 1, pad: 'same' },
  { name: '3x3 valid, dilation 2', x: [2, 8, 9, 3], f: [3, 3, 3, 1], strides: 1, dilations: 2, pad: 'valid' },
  { name: '3x3 same, dilation [2,1], multiplier 3', x: [1, 7, 7, 2], f: [3, 3, 2, 3], strides: 1, dilations: [2, 1], pad: 'same' },
  { name: '5x5 valid stride 2', x: [3, 9, 8, 4], f: [5, 5, 4, 1], strides: 2, dilations: 1, pad: 'valid' },
  { name: 'explicit pad 1, stride [1,2]', x: [2, 5, 6, 6], f: [3, 3, 6, 1], strides: [1, 2], dilations: 1, pad: 1 },
];

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** Zero-inserted filter shape and the map from dilated taps to its rows/cols. */
function undilated(c: Case) {
  const [dh, dw] = pair(c.dilations);
  const [KH, KW, CI, CM] = c.f;
  const shape: [number, number, number, number] = [(KH - 1) * dh + 1, (KW - 1) * dw + 1, CI, CM];
  return { shape, dh, dw, KH, KW, CI, CM };
}

/** CPU reference for the filter gradient that honours dilations. */
function cpuFilterGrad(c: Case, x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  const u = undilated(c);
  const big = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, {
    strides: c.strides, dilations: 1, pad: c.pad, filterShape: u.shape,
  }) as tf.Tensor4D;
  // Keep rows 0, dh, 2dh, ... and columns 0, dw, ...
  return tf.stridedSlice(big, [0, 0, 0, 0], u.shape, [u.dh, u.dw, 1, 1]);
}

/** CPU reference for the input gradient that honours dilations. */
function cpuInputGrad(c: Case, dy: tf.Tensor, filter: tf.Tensor): tf.Tensor {
  const u = undilated(c);
  const fv = filter.arraySync() as number[][][][];
  const big = tf.buffer(u.shape);
  for (let kh = 0; kh < u.KH; kh++)
    for (let kw = 0; kw < u.KW; kw++)
      for (let ci = 0; ci < u.CI; ci++) for (let m = 0; m < u.CM; m++) big.set(fv[kh][kw][ci][m], kh * u.dh, kw * u.dw, ci, m);
  return tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: big.toTensor() }, {
    strides: c.strides, dilations: 1, pad: c.pad, inputShape: c.x,
  }) as tf.Tensor;
}

describe('wasm depthwise conv gradients match the CPU backend', () => {
  beforeAll(useWasmWithKernels);

  for (const [i, c] of cases.entries()) {
    const dyShape = () => tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, c.dilations, c.pad, undefined, true).outShape;
    it(`filter gradient: ${c.name}`, async () => {
      const [cpu] = await onBackend('cpu', () => cpuFilterGrad(c, rand(c.x, 300 + i), rand(dyShape(), 320 + i)));
      const [wasm] = await onBackend('wasm', () =>
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: rand(c.x, 300 + i), dy: rand(dyShape(), 320 + i) }, {
          strides: c.strides, dilations: c.dilations, pad: c.pad, filterShape: c.f,
        }) as tf.Tensor,
      );
      expectClose(wasm, cpu);
    });
    it(`input gradient: ${c.name}`, async () => {
      const [cpu] = await onBackend('cpu', () => cpuInputGrad(c, rand(dyShape(), 340 + i), rand(c.f, 360 + i)));
      const [wasm] = await onBackend('wasm', () =>
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: rand(dyShape(), 340 + i), filter: rand(c.f, 360 + i) }, {
          strides: c.strides, dilations: c.dilations, pad: c.pad, inputShape: c.x,
        }) as tf.Tensor,
      );
      expectClose(wasm, cpu);
    });
  }

  it("the CPU kernel's own answer differs for a dilated case (why the reference above is built the long way)", async () => {
    const c = cases[2];
    const dyShape = tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, c.dilations, c.pad, undefined, true).outShape;
    const [[cpuDirect], [wasm]] = await cpuAndWasm(() =>
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: rand(c.x, 302), dy: rand(dyShape, 322) }, {
        strides: c.strides, dilations: c.dilations, pad: c.pad, filterShape: c.f,
      }) as tf.Tensor,
    );
    expect(relErr(wasm, cpuDirect)).toBeGreaterThan(1e-2);
  });

  it('tf.grads of depthwiseConv2d (and separableConv2d) agree: the path training takes', async () => {
    const f = (x: tf.Tensor, d: tf.Tensor, p: tf.Tensor) =>
      tf.sum(tf.square(tf.separableConv2d(x as tf.Tensor4D, d as tf.Tensor4D, p as tf.Tensor4D, 2, 'same')));
    const [cpu, wasm] = await cpuAndWasm(() => tf.grads(f)([rand([2, 7, 8, 3], 1), rand([3, 3, 3, 2], 2), rand([1, 1, 6, 4], 3)]));
    for (let k = 0; k < 3; k++) expectClose(wasm[k], cpu[k]);
  });
});
