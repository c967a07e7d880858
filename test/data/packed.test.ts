import { describe, expect, it } from 'vitest';
import { packImageSet, unpackImageSet } from '../../src/data/packed';

describe('packed image sets', () => {
  it('round-trips labels and pixels', () => {
    const set = { count: 2, rows: 1, cols: 3, labels: Uint8Array.of(4, 9), pixels: Uint8Array.of(0, 128, 255, 1, 2, 3) };
    const bytes = packImageSet(set);
    expect(bytes.length).toBe(16 + 2 + 6);
    const back = unpackImageSet(bytes);
    expect(back.count).toBe(2);
    expect([back.rows, back.cols]).toEqual([1, 3]);
    expect(Array.from(back.labels)).toEqual([4, 9]);
    expect(Array.from(back.pixels)).toEqual([0, 128, 255, 1, 2, 3]);
  });

  it('rejects bytes that are not a packed set, naming the argument', () => {
    expect(() => unpackImageSet(new TextEncoder().encode('<!doctype html>....'))).toThrow(/unpackImageSet: 'bytes'/);
  });
});
