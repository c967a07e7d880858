import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toImageTensor } from '../../../src/models/pretrained';

describe('toImageTensor', () => {
  let baseline = 0;
  beforeEach(() => {
    baseline = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('reads RGBA pixel data (ImageData layout) as float RGB, dropping alpha', () => {
    // 2x1 image: red then blue, alpha 9 (ignored)
    const r = toImageTensor('t', 'image', { data: new Uint8Array([255, 0, 0, 9, 0, 0, 255, 9]), width: 2, height: 1 });
    expect(r.pixels.shape).toEqual([1, 2, 3]);
    expect(r.pixels.dtype).toBe('float32');
    expect(Array.from(r.pixels.dataSync())).toEqual([255, 0, 0, 0, 0, 255]);
    expect(r.scale).toBe(1);
    expect(r.notice).toBeUndefined();
    r.pixels.dispose();
  });

  it('reads RGB pixel data and tensors, never disposing the caller\'s tensor', () => {
    const rgb = toImageTensor('t', 'image', { data: [1, 2, 3], width: 1, height: 1 });
    expect(Array.from(rgb.pixels.dataSync())).toEqual([1, 2, 3]);
    const x = tf.tensor3d([[[10, 20, 30, 40]]], [1, 1, 4], 'int32');
    const fromT = toImageTensor('t', 'image', x);
    expect(Array.from(fromT.pixels.dataSync())).toEqual([10, 20, 30]);
    expect(x.isDisposed).toBe(false);
    tf.dispose([rgb.pixels, fromT.pixels, x]);
  });

  it('downscales an image longer than maxSide and says so', () => {
    // 10x2 with maxSide 5: factor 5/10 = 0.5 → 5x1
    const r = toImageTensor('detect', 'image', { data: new Uint8Array(10 * 2 * 4).fill(200), width: 10, height: 2 }, 5);
    expect(r.pixels.shape).toEqual([1, 5, 3]);
    expect(r.scale).toBe(0.5);
    expect(r.width).toBe(10);
    expect(r.notice).toMatch(/10x2 pixels; it was downscaled to 5x1/);
    r.pixels.dispose();
  });

  it('names the problem for empty, malformed or unknown images', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ data: new Uint8Array(0), width: 0, height: 0 }, /detect: 'image' must be a non-empty image, got an empty 0x0 image/],
      [{ data: new Uint8Array(5), width: 2, height: 1 }, /8 \(RGBA\) or 6 \(RGB\) values for a 2x1 image, got 5 values/],
      [{ data: new Uint8Array(4), width: 1.5, height: 1 }, /whole-number width and height, got 1.5x1/],
      [null, /got null/],
      ['photo.jpg', /got a string/],
      [{ width: 3 }, /got an object \(Object\)/],
    ];
    for (const [input, message] of cases) {
      expect(() => toImageTensor('detect', 'image', input as never)).toThrow(message);
    }
  });

  it('rejects tensors of the wrong shape, an empty tensor and a disposed tensor', () => {
    const gray = tf.zeros([4, 4]);
    const empty = tf.zeros([0, 4, 3]);
    const gone = tf.zeros([2, 2, 3]);
    gone.dispose();
    expect(() => toImageTensor('detect', 'image', gray as never)).toThrow(/\[height, width, 3\].*got shape \[4,4\]/);
    expect(() => toImageTensor('detect', 'image', empty as tf.Tensor3D)).toThrow(/non-empty image, got an empty 4x0 image/);
    expect(() => toImageTensor('detect', 'image', gone as tf.Tensor3D)).toThrow(/a live tensor, got a disposed tensor/);
    tf.dispose([gray, empty]);
  });
});
