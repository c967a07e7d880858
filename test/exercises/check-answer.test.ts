import { describe, expect, it } from 'vitest';
import { checkAnswer, checkNumeric, parseNumberWithUnit } from '../../src/exercises/check-answer';
import { fallbackQuizId, validateQuizItem, type NumericItem, type QuizItem } from '../../src/exercises/quiz-item';

describe('parseNumberWithUnit', () => {
  it('reads integers, decimals, exponents, fractions, thousands separators and units', () => {
    expect(parseNumberWithUnit('32 px')).toEqual({ value: 32, unit: 'px' });
    expect(parseNumberWithUnit('-1.5e-3')).toEqual({ value: -0.0015, unit: '' });
    expect(parseNumberWithUnit('1/4')).toEqual({ value: 0.25, unit: '' });
    expect(parseNumberWithUnit('12,800 px')).toEqual({ value: 12800, unit: 'px' });
    expect(parseNumberWithUnit('50%')).toEqual({ value: 50, unit: '%' });
    expect(parseNumberWithUnit('.5')).toEqual({ value: 0.5, unit: '' });
    // full-width digits and a Unicode minus sign
    expect(parseNumberWithUnit('−０.５')).toEqual({ value: -0.5, unit: '' });
  });
  it('reads a decimal comma and a trailing dot', () => {
    expect(parseNumberWithUnit('1,5')).toEqual({ value: 1.5, unit: '' });
    expect(parseNumberWithUnit('1,5 s')).toEqual({ value: 1.5, unit: 's' });
    expect(parseNumberWithUnit('-0,25')).toEqual({ value: -0.25, unit: '' });
    // a leading 0 is never a thousands group, and neither are four digits
    expect(parseNumberWithUnit('0,125')).toEqual({ value: 0.125, unit: '' });
    expect(parseNumberWithUnit('3,14159')).toEqual({ value: 3.14159, unit: '' });
    expect(parseNumberWithUnit('5.')).toEqual({ value: 5, unit: '' });
    expect(parseNumberWithUnit('5. px')).toEqual({ value: 5, unit: 'px' });
    expect(parseNumberWithUnit('1,5/3')).toEqual({ value: 0.5, unit: '' });
    expect(parseNumberWithUnit('2,5e2')).toEqual({ value: 250, unit: '' });
  });
  it('still reads groups of three digits as thousands', () => {
    expect(parseNumberWithUnit('1,500')).toEqual({ value: 1500, unit: '' });
    expect(parseNumberWithUnit('1,234,567.5 px')).toEqual({ value: 1234567.5, unit: 'px' });
  });
  it('returns null for text that is not a number and never evaluates', () => {
    expect(parseNumberWithUnit('abc')).toBeNull();
    expect(parseNumberWithUnit('')).toBeNull();
    expect(parseNumberWithUnit('1/0')).toBeNull();
    expect(parseNumberWithUnit('alert(1)')).toBeNull();
    expect(parseNumberWithUnit('-')).toBeNull();
    expect(parseNumberWithUnit(',5')).toBeNull();
  });
});

describe('numeric items: tolerance and units', () => {
  // Conv output size: n=32, k=3, p=1, s=2, d=1 -> floor((32 + 2 - 2 - 1)/2) + 1 = floor(15.5) + 1 = 16
  const size: NumericItem = { id: 's', type: 'numeric', prompt: '', answer: 16, unit: 'px', units: { px: 1, pixels: 1, 픽셀: 1 } };
  it('accepts the value with any listed unit spelling or none', () => {
    expect(checkNumeric(size, '16').correct).toBe(true);
    expect(checkNumeric(size, '16.').correct).toBe(true);
    expect(checkNumeric(size, '16,0 px').correct).toBe(true);
    expect(checkNumeric(size, '16 px').correct).toBe(true);
    expect(checkNumeric(size, '16 Pixels').correct).toBe(true);
    expect(checkNumeric(size, '16픽셀').correct).toBe(true);
  });
  it('rejects an unknown unit with a message naming the right one', () => {
    expect(checkNumeric(size, '16 cm')).toEqual({ correct: false, feedback: "Unknown unit 'cm'; answer in px." });
  });
  it('converts by the unit factor before comparing', () => {
    const t: NumericItem = { id: 't', type: 'numeric', prompt: '', answer: 1500, unit: 'ms', units: { ms: 1, s: 1000 } };
    // 1.5 s * 1000 = 1500 ms
    expect(checkNumeric(t, '1.5 s').correct).toBe(true);
    expect(checkNumeric(t, '1500ms').correct).toBe(true);
  });
  it('requires a unit when requireUnit is set, and rejects a unit where none is expected', () => {
    expect(checkNumeric({ ...size, requireUnit: true }, '16').correct).toBe(false);
    const bare: NumericItem = { id: 'b', type: 'numeric', prompt: '', answer: 2 };
    expect(checkNumeric(bare, '2 px').correct).toBe(false);
  });
  it('applies an absolute tolerance at its edge and says too high / too low', () => {
    // IoU of [0,0,2,2] and [1,1,3,3]: inter 1, union 4+4-1 = 7, IoU = 1/7 = 0.142857...
    const iou: NumericItem = { id: 'i', type: 'numeric', prompt: '', answer: 1 / 7, tolerance: 0.005 };
    expect(checkNumeric(iou, '0.14').correct).toBe(true); // |0.14 - 0.142857| = 0.002857 <= 0.005
    expect(checkNumeric(iou, '1/7').correct).toBe(true);
    expect(checkNumeric(iou, '0.137')).toEqual({ correct: false, feedback: 'Not quite: too low.' }); // 0.005857 > 0.005
    expect(checkNumeric(iou, '0.15')).toEqual({ correct: false, feedback: 'Not quite: too high.' }); // 0.007143 > 0.005
  });
  it('applies a relative tolerance', () => {
    const p: NumericItem = { id: 'p', type: 'numeric', prompt: '', answer: 1000, relTolerance: 0.01 };
    expect(checkNumeric(p, '1010').correct).toBe(true); // 10 <= 0.01*1000
    expect(checkNumeric(p, '1011').correct).toBe(false);
  });
  it('without a tolerance accepts float noise but not a real difference', () => {
    const x: NumericItem = { id: 'x', type: 'numeric', prompt: '', answer: 0.3 };
    expect(checkNumeric(x, String(0.1 + 0.2)).correct).toBe(true); // 0.30000000000000004
    expect(checkNumeric(x, '0.3001').correct).toBe(false);
  });
});

describe('checkAnswer: choices, ordering, text', () => {
  const single: QuizItem = validateQuizItem({ id: 'a', type: 'single', prompt: 'IoU of a box with itself?', choices: [0, 0.5, 1], answer: 2 });
  const multi: QuizItem = validateQuizItem({ id: 'm', type: 'multiple', prompt: 'p', choices: ['a', 'b', 'c', 'd'], answer: [2, 0] });
  const order: QuizItem = validateQuizItem({ id: 'o', type: 'ordering', prompt: 'p', items: ['sort by score', 'keep the best', 'drop overlaps', 'repeat'] });
  const text: QuizItem = validateQuizItem({ id: 't', type: 'text', prompt: 'p', answers: ['intersection over union', '교집합 나누기 합집합'] });

  it('single choice: right and wrong', () => {
    expect(checkAnswer(single, { type: 'single', choice: 2 }).correct).toBe(true);
    expect(checkAnswer(single, { type: 'single', choice: 1 }).correct).toBe(false);
  });
  it('multiple choice needs exactly the right set, in any order', () => {
    expect(checkAnswer(multi, { type: 'multiple', choices: [0, 2] }).correct).toBe(true);
    expect(checkAnswer(multi, { type: 'multiple', choices: [2, 0] }).correct).toBe(true);
    expect(checkAnswer(multi, { type: 'multiple', choices: [0] })).toEqual({ correct: false, feedback: 'Not quite: 1 right choice is missing.' });
    expect(checkAnswer(multi, { type: 'multiple', choices: [0, 1, 2] })).toEqual({ correct: false, feedback: 'Not quite: 1 of your choices is wrong.' });
  });
  it('ordering counts items in place and rejects non-permutations', () => {
    expect(checkAnswer(order, { type: 'ordering', order: [0, 1, 2, 3] }).correct).toBe(true);
    // swap of the middle two: positions 0 and 3 right -> 2 of 4
    expect(checkAnswer(order, { type: 'ordering', order: [0, 2, 1, 3] })).toEqual({ correct: false, feedback: '2 of 4 in the right place.' });
    expect(checkAnswer(order, { type: 'ordering', order: [0, 0, 1, 2] }).correct).toBe(false);
    expect(checkAnswer(order, { type: 'ordering', order: [0, 1, 2] }).correct).toBe(false);
  });
  it('text: normalised English and Korean answers', () => {
    expect(checkAnswer(text, { type: 'text', text: 'Intersection-over-Union' }).correct).toBe(true);
    expect(checkAnswer(text, { type: 'text', text: '교집합나누기 합집합' }).correct).toBe(true);
    expect(checkAnswer(text, { type: 'text', text: 'union over intersection' }).correct).toBe(false);
    expect(checkAnswer(text, { type: 'text', text: '' }).feedback).toBe('Please type an answer.');
  });
  it('a response of another type is wrong, not an exception', () => {
    expect(checkAnswer(single, { type: 'text', text: '1' }).correct).toBe(false);
  });
});

describe('validateQuizItem', () => {
  it('names the item and the field on a bad answer index', () => {
    expect(() => validateQuizItem({ id: 'q7', type: 'single', prompt: 'p', choices: ['a', 'b'], answer: 2 })).toThrow(
      "quiz 'q7': 'answer' must be a 0-based choice index in [0, 1], got 2",
    );
  });
  it('rejects unknown types, missing prompts and units without a unit', () => {
    expect(() => validateQuizItem({ type: 'essay', prompt: 'p' })).toThrow(/'type' must be one of/);
    expect(() => validateQuizItem({ type: 'text', answers: ['a'] })).toThrow(/'prompt'/);
    expect(() => validateQuizItem({ type: 'numeric', prompt: 'p', answer: 1, units: { s: 1 } })).toThrow(/'unit' must be set/);
  });
  it('uses the fallback id and sorts multiple-choice answers', () => {
    const m = validateQuizItem({ type: 'multiple', prompt: 'p', choices: ['a', 'b', 'c'], answer: [2, 0] }, 'quiz-3');
    expect(m.id).toBe('quiz-3');
    expect(m.type === 'multiple' && m.answer).toEqual([0, 2]);
  });
});

describe('fallbackQuizId (a <Quiz :item> without an id)', () => {
  const a = { type: 'single', prompt: 'IoU of a box with itself?', choices: ['0', '1'], answer: 1 };
  const b = { type: 'single', prompt: 'IoU of two disjoint boxes?', choices: ['0', '1'], answer: 0 };
  it('gives different items different ids, each a valid id', () => {
    expect(fallbackQuizId(a)).not.toBe(fallbackQuizId(b));
    expect(fallbackQuizId(a)).toMatch(/^quiz-[0-9a-f]{8}$/);
    expect(validateQuizItem(a, fallbackQuizId(a)).id).toBe(fallbackQuizId(a));
    // same question, other choices: still another item
    expect(fallbackQuizId({ ...a, choices: ['0', '0.5', '1'] })).not.toBe(fallbackQuizId(a));
  });
  it('is the same on every call (server and client agree, and progress survives a reload)', () => {
    expect(fallbackQuizId({ ...a })).toBe(fallbackQuizId(a));
    // explain and html do not take part: rewording the explanation keeps the learner's progress
    expect(fallbackQuizId({ ...a, explain: 'because' })).toBe(fallbackQuizId(a));
  });
  it('never throws on malformed input (the component shows the validation error instead)', () => {
    expect(fallbackQuizId(null)).toMatch(/^quiz-[0-9a-f]{8}$/);
    expect(fallbackQuizId('text')).toMatch(/^quiz-[0-9a-f]{8}$/);
    const cyclic: Record<string, unknown> = { type: 'single', prompt: 'p' };
    cyclic.choices = cyclic;
    expect(fallbackQuizId(cyclic)).toMatch(/^quiz-[0-9a-f]{8}$/);
  });
  it('an explicit id wins', () => {
    expect(validateQuizItem({ ...a, id: 'self-iou' }, fallbackQuizId(a)).id).toBe('self-iou');
  });
});
