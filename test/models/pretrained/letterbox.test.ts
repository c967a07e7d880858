import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { letterbox, letterboxTransform, unletterboxBox, withPrescale } from '../../../src/models/pretrained';

// Convention: Ultralytics/YOLOv5 `letterbox` with centred padding (keep aspect ratio,
// scale the longer side to the input, pad the rest evenly, floor on the leading side).
describe('letterbox', () => {
  let baseline = 0;
  beforeEach(() => {
    baseline = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('fits the 704x576 car park into 512 (hand-worked)', () => {
    const t = letterboxTransform(704, 576, 512);
    // s = 512/704 = 0.72727; w = 704*s = 512; h = round(576*s) = round(418.91) = 419
    expect(t.scaleX).toBeCloseTo(512 / 704, 12);
    expect(t.scaleY).toBeCloseTo(419 / 576, 12);
    // padY = floor((512 - 419) / 2) = floor(46.5) = 46; padX = 0
    expect(t.padX).toBe(0);
    expect(t.padY).toBe(46);
  });

  it('maps a box back to the photo (hand-worked) and clips it', () => {
    const t = letterboxTransform(704, 576, 512);
    // x: 100 / (512/704) = 137.5, 200 / (512/704) = 275
    // y: (46 - 46) / (419/576) = 0, (465 - 46) / (419/576) = 419 * 576 / 419 = 576
    const b = unletterboxBox([100, 46, 200, 465], t);
    expect(b[0]).toBeCloseTo(137.5, 9);
    expect(b[1]).toBeCloseTo(0, 9);
    expect(b[2]).toBeCloseTo(275, 9);
    expect(b[3]).toBeCloseTo(576, 9);
    // y = 10 lies in the top padding: (10 - 46) / s < 0, clipped to 0; x = 600 > 512 → 825 > 704, clipped to 704
    expect(unletterboxBox([0, 10, 600, 20], t)).toEqual([0, 0, 704, 0]);
  });

  it('pads a tall image left and right, with the pad value', () => {
    // a 2x4 (w x h) white image into 8: s = 8/4 = 2 → 4x8, padX = (8 - 4) / 2 = 2
    const px = tf.fill([4, 2, 3], 255) as tf.Tensor3D;
    const { input, transform } = letterbox(px, 8, 7);
    expect(input.shape).toEqual([8, 8, 3]);
    expect(transform.padX).toBe(2);
    expect(transform.padY).toBe(0);
    const v = input.arraySync() as number[][][];
    // columns 0-1 and 6-7 are padding (7), columns 2-5 the resized white image (255)
    expect(v[3].map((p) => p[0])).toEqual([7, 7, 255, 255, 255, 255, 7, 7]);
    tf.dispose([px, input]);
  });

  it('composes a downscale of a huge photo into the transform', () => {
    // 8000x6000 downscaled by 0.512 to 4096x3072, then letterboxed: 512/4096 = 0.125
    const t = withPrescale(letterboxTransform(4096, 3072, 512), 0.512, 8000, 6000);
    expect(t.scaleX).toBeCloseTo(0.125 * 0.512, 12);
    expect(t.width).toBe(8000);
    // input x = 256 → 256 / 0.064 = 4000, the photo's middle column
    expect(unletterboxBox([256, 64, 256, 64], t)[0]).toBeCloseTo(4000, 9);
  });
});
