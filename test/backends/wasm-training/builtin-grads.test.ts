import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { cpuAndWasm, expectClose, onBackend, rand, useWasmWithKernels } from './compare';

// Gradients of the other ops the course's models use (grep of src/: resizeBilinear,
// conv2dTranspose, batchNorm, gather, depthwise/separable convs), which on wasm run
// through tfjs's built-in kernels plus ours. Reference: tfjs-backend-cpu.
describe('gradients the course models hit agree with the CPU backend on wasm', () => {
  beforeAll(useWasmWithKernels);

  const cases: [string, (x: tf.Tensor) => tf.Tensor, number[]][] = [
    // Square images only here: see the two tests below for why.
    ['resizeBilinear x2 (ResizeBilinearGrad)', (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [10, 10]), [2, 5, 5, 3]],
    ['resizeBilinear alignCorners', (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [9, 9], true), [2, 5, 5, 3]],
    ['resizeBilinear halfPixelCenters, downscale', (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [3, 3], false, true), [1, 7, 7, 2]],
    ['conv2dTranspose stride 2 w.r.t. its input', (x) => tf.conv2dTranspose(x as tf.Tensor4D, rand([3, 3, 4, 5], 9) as tf.Tensor4D, [2, 10, 12, 4], 2, 'same'), [2, 5, 6, 5]],
    ['gather along axis 1 with repeats', (x) => tf.gather(x, tf.tensor1d([2, 0, 2, 1], 'int32'), 1), [3, 4, 5]],
    ['avgPool 3x3/2 same', (x) => tf.avgPool(x as tf.Tensor4D, 3, 2, 'same'), [2, 7, 6, 3]],
    [
      'batchNorm (moments over N,H,W) then ReLU',
      (x) => {
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        return tf.relu(tf.batchNorm(x as tf.Tensor4D, mean, variance, rand([3], 7), rand([3], 8), 1e-3));
      },
      [3, 4, 4, 3],
    ],
  ];
  for (const [i, [name, f, shape]] of cases.entries()) {
    it(name, async () => {
      // Weight the outputs so the gradient is not all ones.
      const loss = (x: tf.Tensor) => {
        const y = f(x);
        return tf.sum(tf.mul(y, rand(y.shape, 500 + i)));
      };
      const [[cpu], [wasm]] = await cpuAndWasm(() => tf.grad(loss)(rand(shape, 400 + i)));
      expectClose(wasm, cpu);
    });
  }

  it('ResizeBilinearGrad on a non-square image: same numbers as the CPU kernel (whose reported shape is [N,W,H,C])', async () => {
    // tfjs-backend-cpu 4.22 labels its result [batch, xWidth, xHeight, depth], so tf.grad through
    // resizeBilinear of a non-square image throws on 'cpu'; its data is in [N,H,W,C] order, so we compare data.
    const run = () => tf.engine().runKernel('ResizeBilinearGrad', { images: rand([2, 5, 7, 3], 1), dy: rand([2, 9, 12, 3], 2) }, { alignCorners: false, halfPixelCenters: false }) as tf.Tensor;
    const [[cpu], [wasm]] = await cpuAndWasm(run);
    expectClose(wasm, cpu);
  });

  const nearest: [string, [number, number, number, number], [number, number], boolean][] = [
    ['non-square x2', [2, 5, 6, 3], [10, 12], false],
    ['square x2, batch 2', [2, 5, 5, 3], [10, 10], false],
    ['alignCorners, 5 -> 8', [1, 5, 5, 2], [8, 8], true],
  ];
  for (const [name, [N, H, W, C], size, align] of nearest) {
    it(`ResizeNearestNeighborGrad ${name}: exact against the adjoint of the forward op`, async () => {
      // Reference: resize an image holding each pixel's own flat index, which tells the source
      // pixel of every output pixel; the gradient scatter-adds dy onto those sources. (tfjs-backend-cpu
      // 4.22 gets batch > 1 and non-square images wrong, so it is not the reference here.)
      const dyv = rand([N, ...size, C], 3).dataSync();
      const [src] = await onBackend('cpu', () =>
        tf.image.resizeNearestNeighbor(tf.range(0, N * H * W * C).reshape([N, H, W, C]) as tf.Tensor4D, size, align),
      );
      const expected = new Float32Array(N * H * W * C);
      for (let i = 0; i < src.length; i++) expected[src[i]] += dyv[i];
      const [wasm] = await onBackend('wasm', () =>
        tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, size, align), tf.tensor(dyv, [N, ...size, C]))))(
          rand([N, H, W, C], 1),
        ),
      );
      expectClose(wasm, expected, 1e-6);
    });
  }

  it('conv2dTranspose w.r.t. its filter (Conv2DBackpropFilter on the transposed conv)', async () => {
    const [[cpu], [wasm]] = await cpuAndWasm(() =>
      tf.grad((w: tf.Tensor) => tf.sum(tf.square(tf.conv2dTranspose(rand([2, 5, 6, 5], 1) as tf.Tensor4D, w as tf.Tensor4D, [2, 10, 12, 4], 2, 'same'))))(
        rand([3, 3, 4, 5], 2),
      ),
    );
    expectClose(wasm, cpu);
  });
});
