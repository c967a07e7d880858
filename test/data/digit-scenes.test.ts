import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { digitScenes } from '../../src/data/digit-scenes';
import { INK_THRESHOLD, maskInk, scenesToTensors, type Scene } from '../../src/data/scene';

/** Tight box of image pixels above the ink threshold, channel 0. */
function imageInkBox(s: Scene): number[] | null {
  let box: number[] | null = null;
  for (let r = 0; r < s.height; r++) {
    for (let c = 0; c < s.width; c++) {
      if (s.image[(r * s.width + c) * s.channels] > INK_THRESHOLD) {
        box = box ? [Math.min(box[0], c), Math.min(box[1], r), Math.max(box[2], c + 1), Math.max(box[3], r + 1)] : [c, r, c + 1, r + 1];
      }
    }
  }
  return box;
}

describe('digitScenes', () => {
  it('is deterministic: same seed, same scenes; another seed, other scenes', async () => {
    const a = await digitScenes({ seed: 5, count: 6, size: 64, maxObjectSize: 32 });
    const b = await digitScenes({ seed: 5, count: 6, size: 64, maxObjectSize: 32 });
    const c = await digitScenes({ seed: 6, count: 6, size: 64, maxObjectSize: 32 });
    expect(a.map((s) => s.objects.map((o) => [o.box, o.label]))).toEqual(b.map((s) => s.objects.map((o) => [o.box, o.label])));
    expect(a.map((s) => Array.from(s.image))).toEqual(b.map((s) => Array.from(s.image)));
    expect(a.map((s) => s.objects.map((o) => o.box))).not.toEqual(c.map((s) => s.objects.map((o) => o.box)));
  });

  it('scene i depends only on (seed, i): a longer set extends a shorter one', async () => {
    const short = await digitScenes({ seed: 2, count: 3, size: 64 });
    const long = await digitScenes({ seed: 2, count: 5, size: 64 });
    expect(long.slice(0, 3).map((s) => Array.from(s.image))).toEqual(short.map((s) => Array.from(s.image)));
  });

  it('a lone digit on black: its box is tight around the image ink (x2 = last ink column + 1)', async () => {
    const scenes = await digitScenes({ seed: 11, count: 20, size: 80, minObjects: 1, maxObjects: 1, minObjectSize: 8, maxObjectSize: 64 });
    for (const s of scenes) {
      expect(s.objects).toHaveLength(1);
      expect(s.objects[0].box).toEqual(imageInkBox(s));
    }
  });

  it('every box of a crowded scene is tight around its own visible ink, inside the canvas, sized in range', async () => {
    const scenes = await digitScenes({ seed: 3, count: 20, size: 96, maxObjects: 8, minObjectSize: 10, maxObjectSize: 40, clutter: 3, noise: 0.05, background: 'gradient' });
    let objects = 0;
    for (const s of scenes) {
      for (const o of s.objects) {
        objects++;
        expect(o.box).toEqual(maskInk(o.mask!)!.box);
        const [x1, y1, x2, y2] = o.box;
        expect(x1 >= 0 && y1 >= 0 && x2 <= 96 && y2 <= 96).toBe(true);
        expect(o.area).toBe((x2 - x1) * (y2 - y1));
        // the longer side is the requested size, up to the filter's fringe (+-2 px) or occlusion
        expect(Math.max(x2 - x1, y2 - y1)).toBeLessThanOrEqual(42);
        expect(o.label >= 0 && o.label <= 9).toBe(true);
      }
    }
    expect(objects).toBeGreaterThan(40);
  });

  it('respects maxIoU between boxes', async () => {
    const scenes = await digitScenes({ seed: 4, count: 20, size: 64, maxObjects: 8, maxIoU: 0.1 });
    for (const s of scenes) {
      for (let i = 0; i < s.objects.length; i++) {
        for (let j = i + 1; j < s.objects.length; j++) {
          // the IoU check runs at placement; later occlusion can only shrink boxes, but not past minVisible
          const [a, b] = [s.objects[i].box, s.objects[j].box];
          const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
          const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
          const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - iw * ih;
          expect(iw * ih / union).toBeLessThanOrEqual(0.1 + 1e-9);
        }
      }
    }
  });

  it('long-tail classes: class 0 far more common than class 9', async () => {
    const scenes = await digitScenes({ seed: 8, count: 150, size: 64, maxObjectSize: 24, maxObjects: 6, classes: 'long-tail', longTailRatio: 20 });
    const counts = new Array(10).fill(0);
    for (const s of scenes) for (const o of s.objects) counts[o.label]++;
    // weights 20^(-k/9): class 0 has weight 1, class 9 weight 1/20
    expect(counts[0]).toBeGreaterThan(5 * Math.max(1, counts[9]));
  });

  it('turns a batch into tensors without leaking', async () => {
    const scenes = await digitScenes({ seed: 1, count: 4, size: 48, maxObjectSize: 20 });
    const base = tf.memory().numTensors;
    const t = scenesToTensors(scenes);
    const m = Math.max(...scenes.map((s) => s.objects.length));
    expect(t.images.shape).toEqual([4, 48, 48, 1]);
    expect(t.boxes.shape).toEqual([4, m, 4]);
    expect(Array.from(t.boxes.dataSync().slice(0, 4))).toEqual(scenes[0].objects[0].box);
    expect(t.labels.dataSync()[0]).toBe(scenes[0].objects[0].label);
    tf.dispose([t.images, t.boxes, t.labels]);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('names the argument when an option is out of range', async () => {
    await expect(digitScenes({ minObjectSize: 40, maxObjectSize: 20 })).rejects.toThrow(/digitScenes: 'maxObjectSize'/);
  });

  it('range-checks clutter and noise: negative, NaN, absurdly large or fractional clutter name the option', async () => {
    for (const clutter of [-1, Number.NaN, Infinity, 1e6, 2.5]) {
      await expect(digitScenes({ count: 1, clutter })).rejects.toThrow(/digitScenes: 'clutter' must be/);
    }
    for (const noise of [-0.1, Number.NaN, 25]) {
      await expect(digitScenes({ count: 1, noise })).rejects.toThrow(/digitScenes: 'noise' must be a number in \[0, 1\]/);
    }
    // the edges of the ranges are accepted
    expect(await digitScenes({ count: 1, size: 32, maxObjectSize: 16, clutter: 0, noise: 1 })).toHaveLength(1);
  });

  it('carries its class names, the digits', async () => {
    const [s] = await digitScenes({ seed: 1, count: 1, size: 32, maxObjectSize: 16 });
    expect(s.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });
});
