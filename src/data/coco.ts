import type { CocoGroundTruth } from '../core/eval/coco-format';

export type { CocoGroundTruth };
import type { Scene } from './scene';

/**
 * Exports scenes as COCO ground truth. Annotation ids start at 1 (pycocotools
 * treats id 0 as "unmatched"), image ids are the scene ids, categories are
 * ids 0..K-1 named by `categoryNames`, else by the scenes' own `classNames`
 * (digits '0'..'9', shapes 'circle', 'square', 'triangle'), area is the box's
 * w*h, iscrowd is 0.
 *
 * @example
 * const gt = toCoco(await digitScenes({seed: 1, count: 10}));
 * gt.annotations[0]; // {id: 1, image_id: 1, category_id: 7, bbox: [x, y, w, h], area: w*h, iscrowd: 0}
 */
export function toCoco(scenes: Scene[], categoryNames?: readonly string[]): CocoGroundTruth {
  const ids = new Set<number>();
  for (const s of scenes) {
    if (ids.has(s.id)) throw new Error(`toCoco: 'scenes' must have distinct ids, got ${s.id} twice.`);
    ids.add(s.id);
  }
  const names = categoryNames ?? sceneClassNames(scenes);
  for (const s of scenes) {
    for (const o of s.objects) {
      if (!Number.isInteger(o.label) || o.label < 0 || o.label >= names.length) {
        throw new Error(`toCoco: every label must index one of the ${names.length} categories (${names.join(', ')}), got label ${o.label} in scene ${s.id}.`);
      }
    }
  }
  let next = 1;
  return {
    info: { description: 'Vision Notebook generated scenes' },
    images: scenes.map((s) => ({ id: s.id, width: s.width, height: s.height, file_name: `scene-${s.id}.png` })),
    annotations: scenes.flatMap((s) =>
      s.objects.map((o) => {
        const [x1, y1, x2, y2] = o.box;
        const w = x2 - x1;
        const h = y2 - y1;
        return { id: next++, image_id: s.id, category_id: o.label, bbox: [x1, y1, w, h] as [number, number, number, number], area: w * h, iscrowd: 0 as const };
      }),
    ),
    categories: names.map((name, id) => ({ id, name, supercategory: 'object' })),
  };
}

/** Ten digits when scenes carry no names (hand-made scenes, older saved sets). */
const DEFAULT_NAMES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function sceneClassNames(scenes: Scene[]): readonly string[] {
  const named = scenes.find((s) => s.classNames)?.classNames;
  if (!named) return DEFAULT_NAMES;
  for (const s of scenes) {
    if (s.classNames && s.classNames.join('\u0000') !== named.join('\u0000')) {
      throw new Error(`toCoco: 'scenes' must share one list of class names, got [${named.join(', ')}] and [${s.classNames.join(', ')}] (pass categoryNames to choose).`);
    }
  }
  return named;
}

/**
 * Reads COCO ground truth back into boxes per image (x1,y1,x2,y2), the inverse of `toCoco` for boxes and labels.
 *
 * @example
 * fromCoco(toCoco(scenes)).get(scenes[0].id); // [{box, label}, ...]
 */
export function fromCoco(gt: CocoGroundTruth): Map<number, { box: [number, number, number, number]; label: number }[]> {
  const out = new Map<number, { box: [number, number, number, number]; label: number }[]>();
  for (const img of gt.images) out.set(img.id, []);
  for (const a of gt.annotations) {
    const [x, y, w, h] = a.bbox;
    out.get(a.image_id)?.push({ box: [x, y, x + w, y + h], label: a.category_id });
  }
  return out;
}
