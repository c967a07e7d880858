import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { shiftImages } from '../../src/data/shift';

// Same result as scipy.ndimage.shift(x, (dy, dx), order=0, cval=0) for whole-pixel shifts.
describe('shiftImages', () => {
  it('moves content right/down and fills with zeros', () => {
    const base = tf.memory().numTensors;
    // 3x3 image 1..9; shift dx=1, dy=-1: row r takes old row r+1, column c takes old column c-1
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const y = shiftImages(x, 1, -1);
    expect(Array.from(y.dataSync())).toEqual([0, 4, 5, 0, 7, 8, 0, 0, 0]);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('names the bad argument', () => {
    const x = tf.zeros([1, 3, 3, 1]) as tf.Tensor4D;
    expect(() => shiftImages(x, 3, 0)).toThrow(/shiftImages: 'dx' and 'dy'/);
    x.dispose();
  });
});
