import { assertInRange } from '../util/validate';
import { checkClutterAndNoise } from './backgrounds';

/** The layout options every scene generator shares. */
export interface SceneLayout {
  count: number;
  size: number;
  minObjectSize: number;
  maxObjectSize: number;
  minObjects: number;
  maxObjects: number;
  maxIoU: number;
  minVisible: number;
  clutter: number;
  noise: number;
}

/**
 * Range checks shared by the scene generators, with errors naming `op` and the
 * option. `smallestObject` is the generator's own floor (a digit still reads at
 * 2 px, a triangle needs 3).
 *
 * @example
 * checkSceneLayout('shapeScenes', { ...opts, minObjectSize: 1 }, 3); // throws: 'minObjectSize' must be ...
 */
export function checkSceneLayout(op: string, o: SceneLayout, smallestObject: number): void {
  assertInRange(op, 'count', o.count, 0, 1e7);
  assertInRange(op, 'size', o.size, 8, 4096);
  assertInRange(op, 'minObjectSize', o.minObjectSize, smallestObject, o.size);
  assertInRange(op, 'maxObjectSize', o.maxObjectSize, o.minObjectSize, o.size);
  assertInRange(op, 'minObjects', o.minObjects, 0, 1000);
  assertInRange(op, 'maxObjects', o.maxObjects, o.minObjects, 1000);
  assertInRange(op, 'maxIoU', o.maxIoU, 0, 1);
  assertInRange(op, 'minVisible', o.minVisible, 0, 1);
  checkClutterAndNoise(op, o.clutter, o.noise);
}
