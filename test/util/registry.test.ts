import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/util/registry';
import { buildBackbone, listBackbones } from '../../src/models/index';
import { DETECTOR_NAMES } from '../../src/models/pretrained/index';
import { PRETRAINED_DETECTORS } from '../../src/models/pretrained/registry';

describe('createRegistry (one registry per role)', () => {
  it('returns members by name, in registration order', () => {
    const r = createRegistry<number>('pick', 'name');
    r.register('a', 1);
    r.register('b', 2);
    expect(r.get('b')).toBe(2);
    expect(r.names()).toEqual(['a', 'b']);
    expect(r.entries()).toEqual([['a', 1], ['b', 2]]);
    expect(r.has('c')).toBe(false);
  });

  it('an unknown name is an error naming the op, the argument and the allowed names', () => {
    const r = createRegistry<number>('pick', 'name');
    expect(() => r.get('a')).toThrow("pick: 'name' must be a registered name (none is registered yet), got 'a'.");
    r.register('a', 1);
    r.register('b', 2);
    expect(() => r.get('c')).toThrow("pick: 'name' must be one of 'a', 'b', got 'c'.");
    expect(() => r.register('a', 3)).toThrow("pick: 'a' is registered twice.");
  });

  it('picks the pretrained detectors (no per-name ternaries): CenterNet NHWC 512 px, NanoDet NCHW 416 px', () => {
    expect(DETECTOR_NAMES).toEqual(['centernet', 'nanodet']);
    expect(PRETRAINED_DETECTORS.get('centernet')).toMatchObject({ inputAxis: 1, defaultInputSize: 512 });
    expect(PRETRAINED_DETECTORS.get('nanodet')).toMatchObject({ inputAxis: 2, defaultInputSize: 416 });
  });

  it('buildBackbone refuses a name no family registered, listing the registered ones', () => {
    const names = listBackbones().map((b) => b.name);
    expect(names).not.toContain('no-such-net');
    expect(() => buildBackbone('no-such-net', { inputShape: [32, 32, 3], numClasses: 10 })).toThrow(/buildBackbone: 'name' must be .*got 'no-such-net'/);
  });
});
