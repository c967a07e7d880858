import { describe, expect, it } from 'vitest';
import { invalidNumberMessage, type NumberBox } from '../../src/notebook/input-notice';

const ok = { valid: true, badInput: false, valueMissing: false, rangeUnderflow: false, rangeOverflow: false, stepMismatch: false };
const box = (value: string, validity: Partial<NumberBox['validity']>, extra: Partial<NumberBox> = {}): NumberBox => ({
  value,
  min: '1',
  max: '7',
  step: '1',
  validity: { ...ok, valid: false, ...validity },
  ...extra,
});

describe('invalidNumberMessage: what a number box that rejects its value says', () => {
  it('a valid value says nothing', () => {
    expect(invalidNumberMessage({ ...box('3', {}), validity: ok })).toBeNull();
  });

  it('out of range names the value and the range', () => {
    expect(invalidNumberMessage(box('23', { rangeOverflow: true }))).toBe('23 is out of range: enter a number from 1 to 7.');
    expect(invalidNumberMessage(box('-2', { rangeUnderflow: true }, { label: 'stride' }))).toBe(
      'stride: -2 is out of range: enter a number from 1 to 7.',
    );
    expect(invalidNumberMessage(box('-2', { rangeUnderflow: true }, { max: '' }))).toBe('-2 is out of range: enter a number of at least 1.');
  });

  it('an empty box, a non-number and an off-step value each say so', () => {
    expect(invalidNumberMessage(box('', { valueMissing: true }))).toBe('the box is empty: enter a number from 1 to 7.');
    expect(invalidNumberMessage(box('', { badInput: true }))).toBe('that is not a number: enter a number from 1 to 7.');
    expect(invalidNumberMessage(box('2.5', { stepMismatch: true }))).toBe(
      '2.5 is not one of the allowed values: enter a number from 1 to 7, in steps of 1 from 1.',
    );
    expect(invalidNumberMessage(box('0.3', { stepMismatch: true }, { min: '', max: '', step: '0.25' }))).toBe(
      '0.3 is not one of the allowed values: enter a number, in steps of 0.25.',
    );
  });
});
