/**
 * Checks a learner's quiz response against a `QuizItem`. Pure: no DOM, no
 * storage, so it is unit-tested in Node and reused by the <Quiz> component.
 */
import { numbersClose } from './compare';
import { normaliseText, textMatches } from './normalize';
import type { NumericItem, QuizItem, QuizResponse } from './quiz-item';

export interface AnswerResult {
  correct: boolean;
  /** short feedback on this response ("too high", "2 of 4 in the right place"); the item's `explain` is shown as well */
  feedback: string;
}

export interface ParsedNumber {
  value: number;
  /** unit as typed (trimmed), '' when none */
  unit: string;
}

/**
 * Reads a number with an optional unit: "32", "32 px", "-1.5e-3", "1/3",
 * "12,800 px", "50%", "０.５" (full-width), "1,5" (a decimal comma) and "5."
 * (a trailing dot). A comma followed by groups of exactly three digits, after
 * a first group that does not start with 0, separates thousands ("12,800",
 * "1,234.5"); any other comma is a decimal comma ("1,5", "0,125", "3,14159").
 * Never evaluates anything. Returns null when the text does not start with a
 * number.
 *
 * @example
 * parseNumberWithUnit('32 px') // { value: 32, unit: 'px' }
 * parseNumberWithUnit('1/4')   // { value: 0.25, unit: '' }
 * parseNumberWithUnit('1,5 s') // { value: 1.5, unit: 's' }
 */
export function parseNumberWithUnit(text: string): ParsedNumber | null {
  const t = text.normalize('NFKC').replace(/[−–]/g, '-').trim();
  const thousands = String.raw`[1-9]\d{0,2}(?:,\d{3})+(?![\d,])(?:\.\d*)?`;
  const plain = String.raw`\d+(?:[.,]\d*)?|\.\d+`;
  const num = String.raw`[-+]?(?:${thousands}|${plain})(?:[eE][-+]?\d+)?`;
  const m = new RegExp(String.raw`^(${num})(?:\s*/\s*(${num}))?\s*(.*)$`).exec(t);
  if (!m) return null;
  const toNum = (s: string) => Number(new RegExp(`^[-+]?${thousands}`).test(s) ? s.replace(/,/g, '') : s.replace(',', '.'));
  let value = toNum(m[1]!);
  if (m[2] !== undefined) value = value / toNum(m[2]);
  if (!Number.isFinite(value)) return null;
  return { value, unit: m[3]!.trim() };
}

function unitKey(u: string): string {
  return normaliseText(u).replace(/\s+/g, '');
}

/**
 * Checks a numeric answer: parses it, converts its unit to the item's `unit`,
 * and compares with |given - answer| <= tolerance + relTolerance*|answer|.
 *
 * @example
 * checkNumeric({ id: 'o', type: 'numeric', prompt: '', answer: 16, unit: 'px' }, '16 px').correct // true
 */
export function checkNumeric(item: NumericItem, text: string): AnswerResult {
  const parsed = parseNumberWithUnit(text);
  if (!parsed) return { correct: false, feedback: 'Please enter a number, e.g. 0.5 or 32 px.' };
  let value = parsed.value;
  if (parsed.unit !== '') {
    if (item.unit === undefined) return { correct: false, feedback: `This answer has no unit; write just the number (you wrote '${parsed.unit}').` };
    const units = item.units ?? { [item.unit]: 1 };
    const table = new Map<string, number>(Object.entries(units).map(([k, f]) => [unitKey(k), f]));
    if (!table.has(unitKey(item.unit))) table.set(unitKey(item.unit), 1);
    const factor = table.get(unitKey(parsed.unit));
    if (factor === undefined) return { correct: false, feedback: `Unknown unit '${parsed.unit}'; answer in ${item.unit}.` };
    value *= factor;
  } else if (item.requireUnit) {
    return { correct: false, feedback: `Give the unit too (in ${item.unit}).` };
  }
  // relTolerance defaults to a hair above zero so 0.1+0.2 style float noise never fails a right answer.
  const ok = numbersClose(value, item.answer, { atol: item.tolerance ?? 0, rtol: item.relTolerance ?? 1e-9 });
  if (ok) return { correct: true, feedback: 'Correct.' };
  return { correct: false, feedback: value > item.answer ? 'Not quite: too high.' : 'Not quite: too low.' };
}

/**
 * Checks any quiz response. A response of the wrong type for the item is a
 * wrong answer, not an exception (the component never sends one).
 *
 * @example
 * checkAnswer({ id: 'a', type: 'single', prompt: '?', choices: ['0', '1'], answer: 1 }, { type: 'single', choice: 1 })
 * // { correct: true, feedback: 'Correct.' }
 */
export function checkAnswer(item: QuizItem, response: QuizResponse): AnswerResult {
  if (response.type !== item.type) return { correct: false, feedback: 'No answer given.' };
  switch (item.type) {
    case 'single': {
      const r = response as Extract<QuizResponse, { type: 'single' }>;
      return r.choice === item.answer ? { correct: true, feedback: 'Correct.' } : { correct: false, feedback: 'Not this one.' };
    }
    case 'multiple': {
      const r = response as Extract<QuizResponse, { type: 'multiple' }>;
      const chosen = new Set(r.choices);
      const right = new Set(item.answer);
      const wrongPicked = [...chosen].filter((c) => !right.has(c)).length;
      const missed = [...right].filter((c) => !chosen.has(c)).length;
      if (wrongPicked === 0 && missed === 0) return { correct: true, feedback: 'Correct: all the right choices and no others.' };
      const parts: string[] = [];
      if (wrongPicked > 0) parts.push(`${wrongPicked} of your choices ${wrongPicked === 1 ? 'is' : 'are'} wrong`);
      if (missed > 0) parts.push(`${missed} right choice${missed === 1 ? ' is' : 's are'} missing`);
      return { correct: false, feedback: `Not quite: ${parts.join(' and ')}.` };
    }
    case 'numeric':
      return checkNumeric(item, (response as Extract<QuizResponse, { type: 'numeric' }>).text);
    case 'ordering': {
      const order = (response as Extract<QuizResponse, { type: 'ordering' }>).order;
      // order[k] is the index (into item.items) of what the learner put at position k.
      const isPermutation = order.length === item.items.length && new Set(order).size === order.length && order.every((i) => Number.isInteger(i) && i >= 0 && i < item.items.length);
      if (!isPermutation) return { correct: false, feedback: 'Place every item exactly once.' };
      const inPlace = order.filter((idx, pos) => idx === pos).length;
      if (inPlace === order.length) return { correct: true, feedback: 'Correct order.' };
      return { correct: false, feedback: `${inPlace} of ${order.length} in the right place.` };
    }
    case 'text': {
      const text = (response as Extract<QuizResponse, { type: 'text' }>).text;
      if (normaliseText(text) === '') return { correct: false, feedback: 'Please type an answer.' };
      const ok = textMatches(text, item.answers, item.variants ?? [], { caseSensitive: item.caseSensitive });
      return ok ? { correct: true, feedback: 'Correct.' } : { correct: false, feedback: 'Not an answer we accept.' };
    }
  }
}
