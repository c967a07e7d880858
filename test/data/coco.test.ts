import { describe, expect, it } from 'vitest';
import { fromCoco, toCoco } from '../../src/data/coco';
import { digitScenes } from '../../src/data/digit-scenes';
import type { Scene } from '../../src/data/scene';

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
});
