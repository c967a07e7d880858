import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ssl } from '../../../src/models';

// Reference: facebookresearch/mae models_mae.py (patchify, unpatchify, random_masking), channels-last.
describe('MAE patches and masking', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('patchify reads patches row-major, pixels row by row inside a patch (hand-worked 4x4, p = 2)', () => {
    // image values 0..15 row-major; patch 0 = rows 0-1, cols 0-1 = [0, 1, 4, 5]; patch 1 = [2, 3, 6, 7]; patch 2 = [8, 9, 12, 13].
    const x = tf.tidy(() => tf.range(0, 16).reshape([1, 4, 4, 1]));
    const p = ssl.patchify(x, 2);
    expect(p.shape).toEqual([1, 4, 4]);
    expect(p.arraySync()[0]).toEqual([[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]]);
    const back = ssl.unpatchify(p, 2, [2, 2], 1);
    expect(back.arraySync()).toEqual(x.arraySync());
    tf.dispose([x, p, back]);
  });

  it('unpatchify inverts patchify on a batch with channels', () => {
    const x = tf.randomUniform([3, 8, 12, 2], 0, 1, 'float32', 4);
    const p = ssl.patchify(x, 4);
    expect(p.shape).toEqual([3, 6, 32]);
    const back = ssl.unpatchify(p, 4, [2, 3], 2);
    expect(Array.from(back.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, p, back]);
  });

  it('randomMasking keeps int(L(1 - ratio)) patches: the lowest noise, the rest masked', () => {
    // L = 4, ratio 0.5: keep 2, the two lowest noises (patches 2 and 0 in row 0; 1 and 3 in row 1).
    const noise = tf.tensor2d([[0.3, 0.9, 0.1, 0.5], [0.8, 0.2, 0.7, 0.4]]);
    const { keep, mask } = ssl.randomMasking(2, 4, 0.5, { noise });
    expect(keep.arraySync()).toEqual([[2, 0], [1, 3]]);
    expect(mask.arraySync()).toEqual([[0, 1, 0, 1], [1, 0, 1, 0]]);
    expect(ssl.visibleCount(49, 0.75)).toBe(12); // int(49 * 0.25) = 12
    tf.dispose([noise, keep, mask]);
  });

  it('a seeded mask masks exactly L - K patches per image', () => {
    const { keep, mask } = ssl.randomMasking(5, 49, 0.75, { seed: 3 });
    expect(keep.shape).toEqual([5, 12]);
    expect(tf.tidy(() => mask.sum(1).arraySync())).toEqual([37, 37, 37, 37, 37]);
    tf.dispose([keep, mask]);
  });

  it('gatherTokens and scatterTokens put visible tokens back where they were, zeros elsewhere', () => {
    const tokens = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 1);
    const keep = tf.tensor2d([[4, 1], [0, 2]], [2, 2], 'int32');
    const vis = ssl.gatherTokens(tokens, keep);
    expect(vis.shape).toEqual([2, 2, 3]);
    const t = tokens.arraySync() as number[][][];
    const v = vis.arraySync() as number[][][];
    expect(v[0][0]).toEqual(t[0][4].map((n) => expect.closeTo(n, 6)) as unknown as number[]);
    expect(v[1][1]).toEqual(t[1][2].map((n) => expect.closeTo(n, 6)) as unknown as number[]);
    const scattered = ssl.scatterTokens(vis, keep, 5);
    const back = scattered.arraySync() as number[][][];
    expect(back[0][3]).toEqual([0, 0, 0]);
    expect(back[0][1]).toEqual(t[0][1].map((n) => expect.closeTo(n, 6)) as unknown as number[]);
    tf.dispose([tokens, keep, vis, scattered]);
  });

  it('refuses a mask ratio outside (0, 1), naming the argument', () => {
    for (const r of [0, 1, -0.1, 1.5, Number.NaN]) expect(() => ssl.randomMasking(1, 49, r)).toThrow(/'maskRatio' must be a number strictly between 0 and 1/);
    const z = tf.zeros([1, 28, 28, 1]);
    expect(() => ssl.patchify(z, 5)).toThrow(/'patchSize' must be a divisor of the image size 28x28/);
    z.dispose();
  });
});
