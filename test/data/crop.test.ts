import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cropImages } from '../../src/data/crop';
import { createRng } from '../../src/util/random';

/** A 4x4 one-channel image whose pixel (row r, col c) is 16r + 4c: a ramp on both axes. */
const ramp = (): tf.Tensor4D => tf.tensor4d(Array.from({ length: 16 }, (_, i) => 16 * Math.floor(i / 4) + 4 * (i % 4)), [1, 4, 4, 1]);

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync(), (v) => Math.round(v * 1e5) / 1e5);

// Hand-worked, bilinear with pixel centres at i + 0.5. Cutting half of a 4-pixel axis keeps a
// 2-pixel window, stretched 2x. Centred, the window is [1, 3) and output pixel i samples source
// position i/2 + 0.75, so a row 0, 4, 8, 12 becomes 0.25*0 + 0.75*4 = 3, then 5, 7, 9.
// Bilinear is linear, so the 2-D ramp 16r + 4c becomes 4*[3,5,7,9][r] + [3,5,7,9][c].
describe('cropImages', () => {
  it('zooms into the centre: a 4x4 ramp cropped by one half', () => {
    const base = tf.memory().numTensors;
    const x = ramp();
    const y = cropImages(x, 0.5);
    const axis = [3, 5, 7, 9];
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(values(y)).toEqual(axis.flatMap((r) => axis.map((c) => 4 * r + c)));
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('puts the window at a corner, clamping at the image edge', () => {
    const x = ramp();
    // window [0, 2): samples at i/2 - 0.25; the first falls before pixel 0's centre, so it is pixel 0.
    const topLeft = cropImages(x, 0.5, { position: [0, 0] });
    const a = [0, 1, 3, 5];
    expect(values(topLeft)).toEqual(a.flatMap((r) => a.map((c) => 4 * r + c)));
    // window [2, 4): samples at i/2 + 1.75; the last falls past pixel 3's centre, so it is pixel 3.
    const bottomRight = cropImages(x, 0.5, { position: [1, 1] });
    const b = [7, 9, 11, 12];
    expect(values(bottomRight)).toEqual(b.flatMap((r) => b.map((c) => 4 * r + c)));
    // left edge, vertically centred
    const left = cropImages(x, 0.5, { position: [0, 0.5] });
    expect(values(left)).toEqual([3, 5, 7, 9].flatMap((r) => a.map((c) => 4 * r + c)));
    tf.dispose([x, topLeft, bottomRight, left]);
  });

  it('leaves the image unchanged when nothing is cut away', () => {
    const x = ramp();
    const y = cropImages(x, 0);
    expect(values(y)).toEqual(values(x));
    tf.dispose([x, y]);
  });

  it('resamples each channel on its own', () => {
    // channel 0 is the ramp, channel 1 is 100 minus it
    const r = values(ramp());
    const x = tf.tensor4d(r.flatMap((v) => [v, 100 - v]), [1, 4, 4, 2]);
    const y = values(cropImages(x, 0.5));
    const axis = [3, 5, 7, 9];
    const expected = axis.flatMap((row) => axis.map((c) => 4 * row + c));
    expect(y.filter((_, i) => i % 2 === 0)).toEqual(expected);
    expect(y.filter((_, i) => i % 2 === 1)).toEqual(expected.map((v) => 100 - v));
    x.dispose();
  });

  it("with position 'random', draws each image's window from the seed", () => {
    const base = tf.memory().numTensors;
    const one = ramp();
    const two = tf.concat([one, one]) as tf.Tensor4D;
    const a = cropImages(two, 0.5, { position: 'random', seed: 3 });
    const again = cropImages(two, 0.5, { position: 'random', seed: 3 });
    const other = cropImages(two, 0.5, { position: 'random', seed: 4 });
    expect(values(again)).toEqual(values(a));
    expect(values(other)).not.toEqual(values(a));
    // the same as fixed windows at the positions the seeded generator gives, in order
    const rng = createRng(3);
    const [p0, p1] = [[rng.next(), rng.next()], [rng.next(), rng.next()]] as [number, number][];
    const f0 = cropImages(one, 0.5, { position: p0 });
    const f1 = cropImages(one, 0.5, { position: p1 });
    expect(values(a)).toEqual([...values(f0), ...values(f1)]);
    // two copies of one image get two different windows
    expect(values(f0)).not.toEqual(values(f1));
    tf.dispose([one, two, a, again, other, f0, f1]);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('names the bad argument', () => {
    const x = tf.zeros([1, 3, 3, 1]) as tf.Tensor4D;
    const base = tf.memory().numTensors;
    for (const f of [1, -0.1, Number.NaN]) expect(() => cropImages(x, f)).toThrow(/cropImages: 'fraction' must be a number in \[0, 1\)/);
    expect(() => cropImages(x, 0.2, { position: [0.5, 2] })).toThrow(/cropImages: 'position'/);
    expect(() => cropImages(x, 0.2, { position: 'middle' as 'centre' })).toThrow(/cropImages: 'position'/);
    expect(tf.memory().numTensors).toBe(base);
    x.dispose();
  });
});
