/** The parts of an `<input type=number>` the notice reads (a plain object in unit tests). */
export interface NumberBox {
  value: string;
  min: string;
  max: string;
  step: string;
  validity: Pick<ValidityState, 'valid' | 'badInput' | 'valueMissing' | 'rangeUnderflow' | 'rangeOverflow' | 'stepMismatch'>;
  /** The input's visible label, e.g. 'stride'. */
  label?: string;
}

const finite = (s: string) => s !== '' && Number.isFinite(Number(s));

function allowed(box: NumberBox): string {
  const { min, max } = box;
  if (finite(min) && finite(max)) return `a number from ${min} to ${max}`;
  if (finite(min)) return `a number of at least ${min}`;
  if (finite(max)) return `a number of at most ${max}`;
  return 'a number';
}

/**
 * What to tell the reader about a number box, or null when its value is
 * fine. Observable's Inputs.range and Inputs.number keep their last valid
 * value and say nothing when the typed one is out of range, so without this
 * the reader sees their number in the box and an output that ignores it.
 *
 * @example
 * invalidNumberMessage({ value: '23', min: '1', max: '7', step: '1', validity: { valid: false, rangeOverflow: true, ... } });
 * // '23 is out of range: enter a number from 1 to 7.'
 */
export function invalidNumberMessage(box: NumberBox): string | null {
  const v = box.validity;
  if (v.valid) return null;
  const who = box.label ? `${box.label}: ` : '';
  const shown = box.value;
  if (v.badInput) return `${who}that is not a number: enter ${allowed(box)}.`;
  if (v.valueMissing || shown === '') return `${who}the box is empty: enter ${allowed(box)}.`;
  if (v.rangeUnderflow || v.rangeOverflow) return `${who}${shown} is out of range: enter ${allowed(box)}.`;
  if (v.stepMismatch) {
    const base = finite(box.min) ? Number(box.min) : 0;
    const stepped = finite(box.step) ? `, in steps of ${box.step}${base ? ` from ${base}` : ''}` : '';
    return `${who}${shown} is not one of the allowed values: enter ${allowed(box)}${stepped}.`;
  }
  return `${who}${shown} is not accepted: enter ${allowed(box)}.`;
}
