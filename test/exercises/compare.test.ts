import { describe, expect, it } from 'vitest';
import { compareValues, formatValue, numbersClose, shapeOf } from '../../src/exercises/compare';

// Tolerance semantics follow numpy.isclose: |got - expected| <= atol + rtol*|expected|.
describe('numbersClose', () => {
  it('accepts a difference inside atol + rtol*|expected| and rejects one outside', () => {
    // 1/3 = 0.333333...; |0.3333 - 1/3| = 3.33e-5 <= 1e-4 + 0
    expect(numbersClose(0.3333, 1 / 3, { atol: 1e-4, rtol: 0 })).toBe(true);
    // 3.33e-5 > 1e-5 + 0
    expect(numbersClose(0.3333, 1 / 3, { atol: 1e-5, rtol: 0 })).toBe(false);
    // relative part: |101 - 100| = 1 <= 0 + 0.01*100 = 1
    expect(numbersClose(101, 100, { atol: 0, rtol: 0.01 })).toBe(true);
    // |102 - 100| = 2 > 1
    expect(numbersClose(102, 100, { atol: 0, rtol: 0.01 })).toBe(false);
  });
  it('treats NaN as equal only to NaN and infinities exactly', () => {
    expect(numbersClose(NaN, NaN)).toBe(true);
    expect(numbersClose(0, NaN)).toBe(false);
    expect(numbersClose(NaN, 0)).toBe(false);
    expect(numbersClose(Infinity, Infinity)).toBe(true);
    expect(numbersClose(1e308, Infinity)).toBe(false);
  });
  it('uses 1e-6 for both tolerances by default', () => {
    // |1.0000005 - 1| = 5e-7 <= 1e-6 + 1e-6
    expect(numbersClose(1.0000005, 1)).toBe(true);
    // 1e-5 > 2e-6
    expect(numbersClose(1.00001, 1)).toBe(false);
  });
});

describe('compareValues', () => {
  it('passes nested arrays within tolerance', () => {
    expect(compareValues([[0.5, 1.0000001]], [[0.5, 1]])).toEqual({ ok: true, message: '' });
  });
  it('reports the first differing index with expected and got', () => {
    const r = compareValues([1, 2, 4], [1, 2, 3]);
    expect(r.ok).toBe(false);
    expect(r.message).toBe('expected [1, 2, 3], got [1, 2, 4] (first difference at [2])');
  });
  it('reports a shape mismatch as shapes', () => {
    const r = compareValues([[1, 2]], [1, 2]);
    expect(r.message).toBe('expected shape [2], got shape [1, 2]: expected [1, 2], got [[1, 2]]');
  });
  it('names the wrong type: undefined (a missing return), a string for a number, a number for an array', () => {
    expect(compareValues(undefined, 0.5).message).toBe('expected a number, got undefined (did you forget to return?): expected 0.5, got undefined');
    expect(compareValues('0.5', 0.5).message).toContain('expected a number, got a string');
    expect(compareValues(3, [3]).message).toContain('expected an array, got a number');
  });
  it('compares objects key by key and rejects extra keys', () => {
    expect(compareValues({ a: 1, b: [2] }, { b: [2], a: 1 }).ok).toBe(true);
    expect(compareValues({ a: 1, c: 2 }, { a: 1 }).ok).toBe(false);
    expect(compareValues({ a: 2 }, { a: 1 }).message).toContain('first difference at .a');
  });
  it('compares strings and booleans exactly', () => {
    expect(compareValues('a', 'a').ok).toBe(true);
    expect(compareValues('A', 'a').ok).toBe(false);
    expect(compareValues(1, true).ok).toBe(false);
  });
});

describe('formatValue and shapeOf', () => {
  it('rounds to 6 significant digits and cuts long values', () => {
    expect(formatValue([1 / 3, 2])).toBe('[0.333333, 2]');
    const long = formatValue(Array.from({ length: 200 }, (_, i) => i));
    expect(long.length).toBe(160);
    expect(long.endsWith('…')).toBe(true);
  });
  it('gives the shape of a nested array', () => {
    expect(shapeOf([[1, 2, 3], [4, 5, 6]])).toEqual([2, 3]);
    expect(shapeOf(7)).toEqual([]);
  });
});
