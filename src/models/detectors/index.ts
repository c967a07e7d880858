import { createRegistry } from '../../util/registry';

/**
 * Trainable detectors, assembled from a backbone, a neck and a head (the
 * converted pretrained ones live in `../pretrained`).
 *
 * Contract: a detector family is one file (or folder) here exporting its
 * builder; it joins by one `DETECTORS.register(name, entry)` line below.
 * `build(options)` returns the family's own detector object (model, loss,
 * decode to `{box, score, classId}` detections); the registry names the
 * families so a lesson or a bench can pick and list them without
 * hand-written lists.
 */
export interface DetectorEntry {
  /** The paper the family follows. */
  reference: string;
  kind: 'one-stage' | 'two-stage' | 'set-prediction';
  build(options: Record<string, unknown>): unknown;
}

export const DETECTORS = createRegistry<DetectorEntry>('buildDetector', 'name');

/** Every registered trainable detector family: name, kind and reference. */
export function listDetectors(): { name: string; kind: DetectorEntry['kind']; reference: string }[] {
  return DETECTORS.entries().map(([name, { kind, reference }]) => ({ name, kind, reference }));
}
