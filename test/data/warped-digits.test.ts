import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/util/random';
import { randomWarp, warpDigits, warpImage, warpedDigitBatches } from '../../src/data/warped-digits';

// Reference: an affine warp about the image centre, output pixel p reading the input at
// c + A^-1 (p - c), A = rotation · shear · scale, bilinear with zero outside (as scipy.ndimage's
// affine_transform with order=1, mode='constant'); the values below are worked by hand.

const close = (a: ArrayLike<number>, b: number[]) => Array.from(a).forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));

describe('warpImage', () => {
  it('is the identity with no rotation, unit scale and no shear', () => {
    const src = Array.from({ length: 12 }, (_, i) => i);
    close(warpImage(src, 3, 4, { rotation: 0, scale: 1, shear: 0 }), src);
  });

  it('rotates by 90° about the centre: the pixel right of the centre moves below it (y points down)', () => {
    // 3x3, centre (1, 1); x' = -y, y' = x: input (row 1, col 2) lands at (row 2, col 1).
    const src = [0, 0, 0, 0, 0, 1, 0, 0, 0];
    close(warpImage(src, 3, 3, { rotation: 90, scale: 1, shear: 0 }), [0, 0, 0, 0, 0, 0, 0, 1, 0]);
  });

  it('scale 2 stretches about the centre with bilinear sampling, zero outside', () => {
    // 1x4 row [0, 4, 8, 12], centre x = 1.5; output x reads 1.5 + (x - 1.5) / 2: 0.75, 1.25, 1.75, 2.25
    // -> 3, 5, 7, 9 (the row is linear, so bilinear reads 4x exactly). One row: y = 0 stays 0.
    close(warpImage([0, 4, 8, 12], 1, 4, { rotation: 0, scale: 2, shear: 0 }), [3, 5, 7, 9]);
    // Scale 0.5: x reads 1.5 + 2 (x - 1.5): -1.5 (outside: 0), 0.5 -> 2, 2.5 -> 10, 4.5 (outside: 0).
    close(warpImage([0, 4, 8, 12], 1, 4, { rotation: 0, scale: 0.5, shear: 0 }), [0, 2, 10, 0]);
  });

  it('shear k moves row y by k·(y − cy) to the right', () => {
    // 3x3 with a vertical line in column 1; shear 1: row 0 (y - cy = -1) moves left 1, row 2 right 1.
    const src = [0, 1, 0, 0, 1, 0, 0, 1, 0];
    close(warpImage(src, 3, 3, { rotation: 0, scale: 1, shear: 1 }), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
});

describe('warped digit batches', () => {
  it('draws warps inside the ranges and repeats them for the same seed', () => {
    const a = createRng(3);
    const b = createRng(3);
    for (let i = 0; i < 50; i++) {
      const w = randomWarp(a);
      expect(randomWarp(b)).toEqual(w);
      expect(Math.abs(w.rotation)).toBeLessThanOrEqual(45);
      expect(w.scale).toBeGreaterThanOrEqual(0.6);
      expect(w.scale).toBeLessThanOrEqual(1.2);
      expect(Math.abs(w.shear)).toBeLessThanOrEqual(0.4);
    }
    expect(() => randomWarp(a, { maxShear: 2 })).toThrow(/warpDigits: 'maxShear' must be a number in \[0, 1\], got 2/);
  });

  it('gives a fixed warped test set for a fixed warp seed, different from the plain digits, without leaks', async () => {
    const before = tf.memory().numTensors;
    const take = async (warpSeed: number) => {
      const { xs, ys } = (await warpedDigitBatches({ split: 'test', batchSize: 8, limit: 8, warpSeed })).next().value!;
      const v = Array.from(xs.dataSync());
      expect(xs.shape).toEqual([8, 28, 28, 1]);
      tf.dispose([xs, ys]);
      return v;
    };
    const first = await take(14);
    expect(await take(14)).toEqual(first);
    expect(await take(15)).not.toEqual(first);
    const plain = tf.zeros([1, 28, 28, 1]) as tf.Tensor4D;
    const warped = warpDigits(plain, createRng(1));
    expect(warped.shape).toEqual([1, 28, 28, 1]);
    tf.dispose([plain, warped]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
