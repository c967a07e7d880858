import { describe, expect, it } from 'vitest';
import { evaluateCoco } from '../../src/core/eval/coco-eval';
import { fromCoco, toCoco, type CocoGroundTruth } from '../../src/data/coco';
import { digitScenes } from '../../src/data/digit-scenes';
import type { Scene } from '../../src/data/scene';
import { shapeScenes } from '../../src/data/shape-scenes';

/** Each ground-truth box as a detection of its own category. */
function truthAsDetections(gt: CocoGroundTruth, score = 1) {
  return gt.annotations.map((a) => ({ image_id: a.image_id, category_id: a.category_id, bbox: [...a.bbox], score }));
}

// Follows pycocotools' ground-truth layout (COCO.__init__/createIndex, COCOeval):
// annotation ids from 1 (0 means "unmatched" in COCOeval), bbox [x,y,w,h], iscrowd 0.
describe('toCoco', () => {
  it('writes hand-checkable fields for a two-object scene', () => {
    const scene: Scene = {
      id: 7, width: 32, height: 20, channels: 1, image: new Float32Array(640),
      objects: [
        { box: [2, 3, 10, 7], label: 4, area: 32 },
        { box: [0, 0, 5, 5], label: 0, area: 25 },
      ],
    };
    const gt = toCoco([scene]);
    expect(gt.images).toEqual([{ id: 7, width: 32, height: 20, file_name: 'scene-7.png' }]);
    // box [2,3,10,7] -> bbox [2,3,8,4], area 8*4 = 32
    expect(gt.annotations[0]).toEqual({ id: 1, image_id: 7, category_id: 4, bbox: [2, 3, 8, 4], area: 32, iscrowd: 0 });
    expect(gt.annotations[1]).toEqual({ id: 2, image_id: 7, category_id: 0, bbox: [0, 0, 5, 5], area: 25, iscrowd: 0 });
    expect(gt.categories.map((c) => [c.id, c.name])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => [k, String(k)]));
  });

  it('round-trips generated scenes through JSON', async () => {
    const scenes = await digitScenes({ seed: 12, count: 8, size: 64, maxObjectSize: 30 });
    const gt = JSON.parse(JSON.stringify(toCoco(scenes)));
    const ids = gt.annotations.map((a: { id: number }) => a.id);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    for (const a of gt.annotations) expect(a.area).toBe(a.bbox[2] * a.bbox[3]);
    const back = fromCoco(gt);
    for (const s of scenes) expect(back.get(s.id)).toEqual(s.objects.map((o) => ({ box: o.box, label: o.label })));
  });

  it('rejects duplicate scene ids', () => {
    const s: Scene = { id: 1, width: 1, height: 1, channels: 1, image: new Float32Array(1), objects: [] };
    expect(() => toCoco([s, s])).toThrow(/toCoco: 'scenes'/);
  });

  it('names categories after the scenes\' classes: shapes are circle, square, triangle; digits 0..9', async () => {
    const shapes = toCoco(shapeScenes({ seed: 1, count: 4 }));
    expect(shapes.categories.map((c) => [c.id, c.name])).toEqual([[0, 'circle'], [1, 'square'], [2, 'triangle']]);
    const digits = toCoco(await digitScenes({ seed: 1, count: 2, size: 32, maxObjectSize: 16 }));
    expect(digits.categories.map((c) => c.name)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // given names win over the scenes' own
    expect(toCoco(shapeScenes({ seed: 1, count: 1 }), ['a', 'b', 'c']).categories.map((c) => c.name)).toEqual(['a', 'b', 'c']);
  });

  it('rejects a label with no category, and scenes whose class names disagree', async () => {
    expect(() => toCoco(shapeScenes({ seed: 1, count: 4, minObjects: 1 }), ['only one'])).toThrow(/toCoco: every label must index one of the 1 categories/);
    const mixed = [...shapeScenes({ seed: 1, count: 1 }), ...(await digitScenes({ seed: 1, count: 1, size: 32, maxObjectSize: 16, firstId: 50 }))];
    expect(() => toCoco(mixed)).toThrow(/toCoco: 'scenes' must share one list of class names/);
  });
});

describe('toCoco through evaluateCoco', () => {
  it('ground truth given back as detections with score 1 scores AP = AP50 = AP75 = 1 (digits and shapes)', async () => {
    for (const scenes of [await digitScenes({ seed: 21, count: 12, size: 96, maxObjects: 5 }), shapeScenes({ seed: 21, count: 12, maxObjects: 4 })]) {
      const gt = JSON.parse(JSON.stringify(toCoco(scenes)));
      expect(gt.annotations.length).toBeGreaterThan(12);
      const { stats, perCategory } = evaluateCoco(gt, truthAsDetections(gt));
      // AP is a mean of 1s over thresholds and recall points: 1 up to float rounding
      expect(stats.AP).toBeCloseTo(1, 12);
      expect(stats.AP50).toBeCloseTo(1, 12);
      expect(stats.AP75).toBeCloseTo(1, 12);
      for (const c of perCategory) {
        if (c.AP !== -1) expect(c.AP).toBeCloseTo(1, 12); // -1: a class with no ground truth in this set
      }
    }
  });

  it('a perturbed set scores below 1: a missed object, a shifted box, a false alarm ranked first', async () => {
    const gt = toCoco(await digitScenes({ seed: 22, count: 12, size: 96, maxObjects: 5 }));
    const perfect = evaluateCoco(gt, truthAsDetections(gt)).stats.AP;
    expect(perfect).toBeCloseTo(1, 12);

    const missed = truthAsDetections(gt).slice(1);
    expect(evaluateCoco(gt, missed).stats.AP).toBeLessThan(0.999);

    const shifted = truthAsDetections(gt);
    const [x, y, w, h] = shifted[0].bbox;
    shifted[0].bbox = [x + w * 0.5, y + h * 0.5, w, h]; // IoU 1/7 with its object: a miss and a false positive
    expect(evaluateCoco(gt, shifted).stats.AP).toBeLessThan(0.999);

    const a = gt.annotations[0];
    const falseAlarm = [{ image_id: a.image_id, category_id: a.category_id, bbox: [0, 0, 1, 1], score: 2 }, ...truthAsDetections(gt)];
    const ap = evaluateCoco(gt, falseAlarm).stats.AP;
    expect(ap).toBeLessThan(0.999);
    expect(ap).toBeGreaterThan(0.5);
  });
});
