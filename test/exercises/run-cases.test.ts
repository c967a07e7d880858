import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileLearnerCode } from '../../src/exercises/compile-learner-code';
import { judgeCases, runCases, runLearnerCases } from '../../src/exercises/run-cases';

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

const add = [
  { args: [1, 2], expected: 3, visible: true, label: 'small' },
  { args: [0.1, 0.2], expected: 0.3 }, // hidden; 0.1 + 0.2 = 0.30000000000000004, inside the default 1e-6 tolerance
];

describe('runCases', () => {
  it('passes a right function and shows expected/got for visible cases only', async () => {
    const r = await runCases((a, b) => (a as number) + (b as number), add);
    expect(r).toEqual([
      { label: 'small', visible: true, passed: true, message: 'passed', args: '1, 2', expected: '3', got: '3' },
      { label: 'case 2', visible: false, passed: true, message: 'passed' },
    ]);
  });
  it('fails a wrong function: expected against got when visible, a bare "failed" when hidden', async () => {
    const r = await runCases((a, b) => (a as number) - (b as number), add);
    expect(r[0]).toMatchObject({ passed: false, message: 'expected 3, got -1', expected: '3', got: '-1' });
    expect(r[1]).toEqual({ label: 'case 2', visible: false, passed: false, message: 'failed (a hidden case: try edge cases)' });
  });
  it('turns a throw (Error or not) into a failed case and runs the next case', async () => {
    let calls = 0;
    const r = await runCases(() => {
      calls++;
      if (calls === 1) throw new RangeError('boom');
      throw 'a string';
    }, add);
    expect(r[0]).toMatchObject({ passed: false, message: 'threw RangeError: boom' });
    expect(r[1]).toMatchObject({ passed: false, message: 'threw a non-Error value: "a string"' });
  });
  it('reports wrong return types in words', async () => {
    const missingReturn = await runCases(() => undefined, [add[0]!]);
    expect(missingReturn[0]!.message).toBe('expected a number, got undefined (did you forget to return?): expected 3, got undefined');
    const str = await runCases(() => '3', [add[0]!]);
    expect(str[0]!.message).toContain('expected a number, got a string');
    const arr = await runCases(() => [3], [add[0]!]);
    expect(arr[0]!.message).toContain('expected a number, got an array of length 1');
  });
  it('awaits async functions', async () => {
    const r = await runCases(async (a, b) => (a as number) + (b as number), [add[0]!]);
    expect(r[0]!.passed).toBe(true);
  });
  it('reads tensor results as arrays and disposes them (the afterEach checks the count)', async () => {
    const r = await runCases((a) => tf.tidy(() => tf.tensor1d(a as number[]).mul(2)), [{ args: [[1, 2]], expected: [2, 4], visible: true }]);
    expect(r[0]).toMatchObject({ passed: true, got: '[2, 4]' });
    // a tensor of the wrong shape is a failure with shapes, and is disposed too
    const bad = await runCases((a) => tf.tensor2d([a as number[]]), [{ args: [[1, 2]], expected: [1, 2], visible: true }]);
    expect(bad[0]!.message).toContain('expected shape [2], got shape [1, 2]');
  });
  it('passes tensorArgs as tensors and disposes them afterwards', async () => {
    const r = await runCases((t) => (t as tf.Tensor).sum(), [{ args: [[1, 2, 3]], expected: 6 }], undefined, { tensorArgs: [0], tf });
    expect(r[0]!.passed).toBe(true);
  });
  it('computes expected values with the reference, including tensor references', async () => {
    const ref = (a: unknown) => tf.tidy(() => tf.tensor1d(a as number[]).square());
    const r = await runCases((a) => (a as number[]).map((x) => x * x), [{ args: [[1, -3]] }], ref);
    expect(r[0]!.passed).toBe(true);
  });
  it('gives each call a fresh copy of the args', async () => {
    const shared = [3, 1, 2];
    const cases = [{ args: [shared], expected: [1, 2, 3] }, { args: [shared], expected: 3 }];
    // The first call sorts its input in place and returns it; the second returns its first element,
    // which is 3 only if it got a fresh [3, 1, 2] (1 if the sort had leaked into the case).
    let call = 0;
    const r = await runCases((a) => {
      const arr = a as number[];
      const first = arr[0];
      arr.sort();
      return call++ === 0 ? arr : first;
    }, cases);
    expect(r.map((x) => x.passed)).toEqual([true, true]);
    expect(shared).toEqual([3, 1, 2]);
  });
  it('applies the given tolerance', async () => {
    const c = [{ args: [], expected: 1 / 7 }];
    expect((await runCases(() => 0.1428, c, undefined, { tolerance: { atol: 1e-4 } }))[0]!.passed).toBe(true); // |0.1428 - 0.142857| = 5.7e-5
    expect((await runCases(() => 0.1428, c))[0]!.passed).toBe(false); // 5.7e-5 > 1e-6 + 1e-6*0.14
  });
});

describe('compileLearnerCode', () => {
  it('returns the named function, with tf in scope', () => {
    const f = compileLearnerCode('function sq(x) { return tf.tidy(() => tf.scalar(x).square().dataSync()[0]); }', 'sq', tf);
    expect(f(3)).toBe(9);
  });
  it('explains a syntax error, a throw at load and a missing function', () => {
    expect(() => compileLearnerCode('function f( {', 'f')).toThrow(/does not parse/);
    expect(() => compileLearnerCode('throw new Error("top");', 'f')).toThrow("your code threw while loading: Error: top");
    expect(() => compileLearnerCode('const g = 1;', 'f')).toThrow("define a function named 'f'");
  });
  it('runs in strict mode', () => {
    const f = compileLearnerCode('function f() { undeclared = 1; return 1; }', 'f');
    expect(() => f()).toThrow(ReferenceError);
  });
  it('rejects an entry name that is not an identifier', () => {
    expect(() => compileLearnerCode('', 'a;alert(1)')).toThrow(/invalid function name/);
  });
});

describe('runLearnerCases and judgeCases (the worker and the page halves)', () => {
  it('the worker half reports values and errors, no verdicts', async () => {
    const outcomes = await runLearnerCases((a) => {
      if (a === 0) throw new TypeError('zero');
      return [a, a];
    }, [{ args: [1] }, { args: [0] }]);
    expect(outcomes).toEqual([{ ok: true, got: [1, 1] }, { ok: false, error: 'threw TypeError: zero' }]);
  });
  it('a result that cannot be posted to the page (a function) is a failed case, not a crash', async () => {
    const [o] = await runLearnerCases(() => () => 1, [{ args: [] }]);
    expect(o).toEqual({ ok: false, error: 'returned a function, which is not a value that can be checked' });
  });
  it('the page half compares with the expected values it kept', () => {
    const cases = [
      { args: [1, 2], expected: 3, visible: true, label: 'small' },
      { args: [5, 5], expected: 10, visible: false, label: 'hidden' },
    ];
    const r = judgeCases(cases, [{ ok: true, got: 3 }, { ok: true, got: 9 }]);
    expect(r.map((x) => x.passed)).toEqual([true, false]);
    expect(r[1]!.message).toBe('failed (a hidden case: try edge cases)');
    expect(() => judgeCases(cases, [{ ok: true, got: 3 }])).toThrow(/1 outcomes for 2 cases/);
  });
});
