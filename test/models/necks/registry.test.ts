import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildNeck, NECKS, neckExtraLevels } from '../../../src/models/necks/index';

// The neck registry (docs/architecture.md, role rooms): an unknown name is an error that lists every registered neck.

describe('neck registry', () => {
  it('holds fpn, panet, bifpn, nas-fpn, augfpn, each with its reference', () => {
    expect(NECKS.names()).toEqual(['fpn', 'panet', 'bifpn', 'nas-fpn', 'augfpn']);
    for (const [, e] of NECKS.entries()) expect(e.reference.length).toBeGreaterThan(10);
    // Extra (dense-head-only) levels for C2..C5 and for C3..C5: BiFPN and NAS-FPN build up to five levels.
    expect(NECKS.names().map((n) => [neckExtraLevels(n, 4), neckExtraLevels(n, 3)])).toEqual([[1, 1], [1, 1], [1, 2], [1, 2], [1, 1]]);
  });
  it('an unknown name lists every registered neck', () => {
    const a = tf.input({ shape: [4, 4, 1] });
    let message = '';
    try {
      buildNeck('bifpnn', [a], { channels: 8, name: 'n' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^buildNeck: 'name' must be one of /);
    for (const n of NECKS.names()) expect(message).toContain(`'${n}'`);
    expect(message).toContain("got 'bifpnn'");
  });
});
