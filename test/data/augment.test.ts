import { describe, expect, it } from 'vitest';
import { augmentScenes, copyPaste, hflip, scaleScene, vflip } from '../../src/data/augment';
import { digitScenes } from '../../src/data/digit-scenes';
import { createRng } from '../../src/util/random';
import { maskInk, objectFromMask, type Scene } from '../../src/data/scene';

/** A scene with solid rectangles (alpha 1) as objects, value 1 on black. */
function rects(id: number, W: number, H: number, boxes: { box: [number, number, number, number]; label: number }[]): Scene {
  const image = new Float32Array(W * H);
  const objects = boxes.map(({ box: [x1, y1, x2, y2], label }) => {
    for (let r = y1; r < y2; r++) for (let c = x1; c < x2; c++) image[r * W + c] = 1;
    return objectFromMask(label, { x: x1, y: y1, width: x2 - x1, height: y2 - y1, alpha: new Float32Array((x2 - x1) * (y2 - y1)).fill(1) })!;
  });
  return { id, width: W, height: H, channels: 1, image, objects };
}

describe('flips (torchvision RandomHorizontalFlip / RandomVerticalFlip box rule)', () => {
  it('hflip maps [x1,y1,x2,y2] to [W-x2, y1, W-x1, y2] and keeps boxes tight', () => {
    const s = rects(1, 20, 10, [{ box: [2, 1, 6, 4], label: 3 }]);
    const f = hflip(s);
    // W=20: [20-6, 1, 20-2, 4]
    expect(f.objects[0].box).toEqual([14, 1, 18, 4]);
    expect(maskInk(f.objects[0].mask!)!.box).toEqual([14, 1, 18, 4]);
    expect(f.image[1 * 20 + 14]).toBe(1);
    expect(f.image[1 * 20 + 13]).toBe(0);
    expect(s.objects[0].box).toEqual([2, 1, 6, 4]); // input untouched
  });

  it('vflip maps y to H - y', () => {
    const f = vflip(rects(1, 20, 10, [{ box: [2, 1, 6, 4], label: 3 }]));
    // H=10: [2, 10-4, 6, 10-1]
    expect(f.objects[0].box).toEqual([2, 6, 6, 9]);
  });

  it('flipping digit scenes twice gives the original', async () => {
    const [s] = await digitScenes({ seed: 1, count: 1, size: 64 });
    const back = hflip(hflip(s));
    expect(Array.from(back.image)).toEqual(Array.from(s.image));
    expect(back.objects.map((o) => o.box)).toEqual(s.objects.map((o) => o.box));
  });
});

describe('scaleScene (scale jitter)', () => {
  it('doubling a 4x4 block at (2,2) gives an 8x8 block at (4,4)', () => {
    const s = rects(1, 20, 20, [{ box: [2, 2, 6, 6], label: 1 }]);
    const out = scaleScene(s, 2, [0, 0]);
    // bilinear edge pixels: output column 3 samples source 1.25 -> weight 0.25 on the block: 0.25 > 0.2 is ink,
    // so the tight box grows by one fringe pixel each side: [3, 3, 13, 13]
    expect(out.objects[0].box).toEqual([3, 3, 13, 13]);
    expect(maskInk(out.objects[0].mask!)!.box).toEqual(out.objects[0].box);
  });

  it('drops objects pushed mostly out of the canvas and keeps tight boxes for the rest', async () => {
    const s = rects(1, 20, 20, [{ box: [0, 0, 4, 4], label: 1 }, { box: [10, 10, 14, 14], label: 2 }]);
    // shift by -3: the first block keeps 1 of its 4 columns and rows (1/16 of its ink) -> dropped
    const out = scaleScene(s, 1, [-3, -3]);
    expect(out.objects.map((o) => [o.label, o.box])).toEqual([[2, [7, 7, 11, 11]]]);
  });
});

describe('copyPaste (Ghiasi et al. 2021)', () => {
  const target = () => rects(1, 20, 20, [{ box: [0, 0, 10, 10], label: 5 }, { box: [12, 12, 16, 16], label: 6 }]);

  it('drops a target object that the pasted one mostly hides', () => {
    // source object covers rows 0..5 of the 10x10 target object: 60 of its 100 ink pixels hidden, 40% < 50% left
    const source = rects(2, 20, 20, [{ box: [0, 0, 10, 6], label: 9 }]);
    const out = copyPaste(target(), source, createRng(0), { pasteProbability: 1 });
    expect(out.objects.map((o) => [o.label, o.box])).toEqual([[6, [12, 12, 16, 16]], [9, [0, 0, 10, 6]]]);
  });

  it('updates the box of a partly hidden one', () => {
    // source covers columns 0..3: 40 of 100 ink pixels hidden, 60% left; visible part is columns 4..9
    const source = rects(2, 20, 20, [{ box: [0, 0, 4, 10], label: 9 }]);
    const out = copyPaste(target(), source, createRng(0), { pasteProbability: 1 });
    expect(out.objects.map((o) => [o.label, o.box, o.area])).toEqual([
      [5, [4, 0, 10, 10], 60],
      [6, [12, 12, 16, 16], 16],
      [9, [0, 0, 4, 10], 40],
    ]);
  });

  it('copies the pasted pixels and leaves the inputs unchanged', () => {
    const t = target();
    const source = rects(2, 20, 20, [{ box: [17, 0, 20, 3], label: 9 }]);
    source.image[0 * 20 + 18] = 0.5; // a pixel inside the pasted object's mask
    const out = copyPaste(t, source, createRng(0), { pasteProbability: 1 });
    expect(out.image[0 * 20 + 18]).toBe(0.5);
    expect(out.image[0 * 20 + 17]).toBe(1);
    expect(t.image[0 * 20 + 17]).toBe(0);
    expect(t.objects).toHaveLength(2);
  });

  it('augmentScenes is seeded and keeps every box tight', async () => {
    const scenes = await digitScenes({ seed: 4, count: 6, size: 64, maxObjectSize: 30 });
    const a = augmentScenes(scenes, { seed: 1, hflip: 0.5, scaleJitter: [0.6, 1.4], copyPaste: 1 });
    const b = augmentScenes(scenes, { seed: 1, hflip: 0.5, scaleJitter: [0.6, 1.4], copyPaste: 1 });
    expect(a.map((s) => s.objects.map((o) => o.box))).toEqual(b.map((s) => s.objects.map((o) => o.box)));
    for (const s of a) for (const o of s.objects) expect(o.box).toEqual(maskInk(o.mask!)!.box);
  });
});
