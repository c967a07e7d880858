import { fail } from '../../util/validate';

/**
 * The COCO JSON formats (as read by pycocotools) and their conversion into
 * flat typed arrays grouped by (image, category), which both evaluators use.
 * These are the course's one COCO ground-truth type: `data.toCoco` writes it,
 * `evaluateCoco`/`evaluateVoc` read it; the fields pycocotools' `COCO()` wants
 * but evaluation ignores (`info`, `file_name`, `supercategory`) are optional.
 */

export interface CocoImage {
  id: number;
  width?: number;
  height?: number;
  file_name?: string;
}

export interface CocoAnnotation {
  /** Optional here; pycocotools needs it. When missing, the annotation's position + 1 is used. */
  id?: number;
  image_id: number;
  category_id: number;
  /** [x, y, width, height] in pixels. */
  bbox: number[];
  /** Used for COCO's small/medium/large ranges (not the box's w*h). */
  area: number;
  /** 1 (or true) marks a crowd region: matches to it are ignored. */
  iscrowd: number | boolean;
}

export interface CocoCategory {
  id: number;
  name: string;
  supercategory?: string;
}

export interface CocoGroundTruth {
  info?: { description: string };
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}

export interface CocoDetection {
  image_id: number;
  category_id: number;
  /** [x, y, width, height] in pixels. */
  bbox: number[];
  score: number;
}

/** Boxes of one kind (gt or det), sorted into contiguous (image, category) groups. */
export interface GroupedBoxes {
  /** Box i of group g sits at index `start[g] + i` of the arrays below. */
  start: Int32Array;
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  h: Float64Array;
  area: Float64Array;
  /** gt: iscrowd flag; det: 0. */
  crowd: Uint8Array;
  /** gt: annotation id; det: 1-based position in the input list (as pycocotools' loadRes). */
  id: Float64Array;
  /** det: score; gt: 0. */
  score: Float64Array;
}

export interface ParsedCoco {
  imgIds: number[];
  catIds: number[];
  catNames: string[];
  gt: GroupedBoxes;
  dt: GroupedBoxes;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finiteField(op: string, arg: string, obj: Record<string, unknown>, key: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(op, `${arg}.${key}`, 'a finite number', String(v));
  return v;
}

function bboxField(op: string, arg: string, obj: Record<string, unknown>): number[] {
  const b = obj.bbox;
  if (!Array.isArray(b) || b.length !== 4) fail(op, `${arg}.bbox`, 'an array [x, y, width, height]', JSON.stringify(b));
  for (let i = 0; i < 4; i++) {
    if (typeof b[i] !== 'number' || !Number.isFinite(b[i])) fail(op, `${arg}.bbox`, 'four finite numbers', JSON.stringify(b));
  }
  if (b[2] < 0 || b[3] < 0) fail(op, `${arg}.bbox`, 'a box with non-negative width and height', JSON.stringify(b));
  return b as number[];
}

/** Sorted unique ids, as numpy's `np.unique`. */
function uniqueSorted(ids: number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

function emptyGroups(n: number, groups: number): GroupedBoxes {
  return {
    start: new Int32Array(groups + 1),
    x: new Float64Array(n),
    y: new Float64Array(n),
    w: new Float64Array(n),
    h: new Float64Array(n),
    area: new Float64Array(n),
    crowd: new Uint8Array(n),
    id: new Float64Array(n),
    score: new Float64Array(n),
  };
}

/**
 * Counting sort of rows by group key; stable, so within a group rows keep
 * their input order (pycocotools' `_gts[img, cat]` lists are in input order).
 */
function groupRows(keys: Int32Array, groups: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(groups + 1);
  let kept = 0;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] >= 0) {
      start[keys[i] + 1]++;
      kept++;
    }
  }
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  const fill = start.slice(0, groups);
  const order = new Int32Array(kept);
  for (let i = 0; i < keys.length; i++) if (keys[i] >= 0) order[fill[keys[i]]++] = i;
  return { start, order };
}

/**
 * Checks both inputs and groups their boxes by (image index, category index),
 * group key = image index * categories + category index, images and categories
 * in ascending id order (as pycocotools sorts `imgIds` and `catIds`).
 *
 * pycocotools' conventions kept here: annotations whose image or category is
 * not listed are left out (its `getAnnIds` filters them); detections on an
 * image not in the ground truth are an error (its `loadRes` asserts); a
 * detection's area is w*h and its id its 1-based position.
 */
export function parseCoco(op: string, groundTruth: CocoGroundTruth, detections: CocoDetection[]): ParsedCoco {
  if (!isRecord(groundTruth)) fail(op, 'groundTruth', 'an object {images, annotations, categories}', typeof groundTruth);
  for (const key of ['images', 'annotations', 'categories'] as const) {
    if (!Array.isArray(groundTruth[key])) fail(op, `groundTruth.${key}`, 'an array', typeof groundTruth[key]);
  }
  if (!Array.isArray(detections)) fail(op, 'detections', 'an array of {image_id, category_id, bbox, score}', typeof detections);

  const imgIds = uniqueSorted(
    groundTruth.images.map((im, i) => {
      if (!isRecord(im)) fail(op, `groundTruth.images[${i}]`, 'an object {id}', JSON.stringify(im));
      return finiteField(op, `groundTruth.images[${i}]`, im, 'id');
    }),
  );
  const names = new Map<number, string>();
  groundTruth.categories.forEach((c, i) => {
    if (!isRecord(c)) fail(op, `groundTruth.categories[${i}]`, 'an object {id, name}', JSON.stringify(c));
    const id = finiteField(op, `groundTruth.categories[${i}]`, c, 'id');
    if (typeof c.name !== 'string') fail(op, `groundTruth.categories[${i}].name`, 'a string', String(c.name));
    if (!names.has(id)) names.set(id, c.name);
  });
  const catIds = uniqueSorted([...names.keys()]);
  const catNames = catIds.map((id) => names.get(id)!);
  const imgIndex = new Map(imgIds.map((id, i) => [id, i]));
  const catIndex = new Map(catIds.map((id, i) => [id, i]));
  const nCats = catIds.length;
  const groups = imgIds.length * nCats;

  // Ground truth.
  const anns = groundTruth.annotations;
  const gtKeys = new Int32Array(anns.length);
  const gtRows: { b: number[]; area: number; crowd: number; id: number }[] = new Array(anns.length);
  for (let i = 0; i < anns.length; i++) {
    const a = anns[i] as unknown;
    const arg = `groundTruth.annotations[${i}]`;
    if (!isRecord(a)) fail(op, arg, 'an object {image_id, category_id, bbox, area, iscrowd}', JSON.stringify(a));
    const imageId = finiteField(op, arg, a, 'image_id');
    const catId = finiteField(op, arg, a, 'category_id');
    const b = bboxField(op, arg, a);
    const area = finiteField(op, arg, a, 'area');
    if (!('iscrowd' in a) || (typeof a.iscrowd !== 'number' && typeof a.iscrowd !== 'boolean')) {
      fail(op, `${arg}.iscrowd`, '0, 1 or a boolean', String(a.iscrowd));
    }
    const id = a.id === undefined ? i + 1 : finiteField(op, arg, a, 'id');
    const ii = imgIndex.get(imageId);
    const ci = catIndex.get(catId);
    gtKeys[i] = ii === undefined || ci === undefined ? -1 : ii * nCats + ci;
    gtRows[i] = { b, area, crowd: a.iscrowd ? 1 : 0, id };
  }
  const gtGroups = groupRows(gtKeys, groups);
  const gt = emptyGroups(gtGroups.order.length, groups);
  gt.start.set(gtGroups.start);
  gtGroups.order.forEach((row, j) => {
    const r = gtRows[row];
    gt.x[j] = r.b[0];
    gt.y[j] = r.b[1];
    gt.w[j] = r.b[2];
    gt.h[j] = r.b[3];
    gt.area[j] = r.area;
    gt.crowd[j] = r.crowd;
    gt.id[j] = r.id;
  });

  // Detections.
  const dtKeys = new Int32Array(detections.length);
  for (let i = 0; i < detections.length; i++) {
    const d = detections[i] as unknown;
    const arg = `detections[${i}]`;
    if (!isRecord(d)) fail(op, arg, 'an object {image_id, category_id, bbox, score}', JSON.stringify(d));
    const imageId = finiteField(op, arg, d, 'image_id');
    const catId = finiteField(op, arg, d, 'category_id');
    bboxField(op, arg, d);
    finiteField(op, arg, d, 'score');
    const ii = imgIndex.get(imageId);
    if (ii === undefined) fail(op, `${arg}.image_id`, 'the id of an image in groundTruth.images', String(imageId));
    const ci = catIndex.get(catId);
    dtKeys[i] = ci === undefined ? -1 : ii * nCats + ci;
  }
  const dtGroups = groupRows(dtKeys, groups);
  const dt = emptyGroups(dtGroups.order.length, groups);
  dt.start.set(dtGroups.start);
  dtGroups.order.forEach((row, j) => {
    const d = detections[row];
    dt.x[j] = d.bbox[0];
    dt.y[j] = d.bbox[1];
    dt.w[j] = d.bbox[2];
    dt.h[j] = d.bbox[3];
    dt.area[j] = d.bbox[2] * d.bbox[3];
    dt.id[j] = row + 1;
    dt.score[j] = d.score;
  });

  return { imgIds, catIds, catNames, gt, dt };
}
