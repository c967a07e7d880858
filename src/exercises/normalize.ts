/**
 * Text normalisation for short-answer quiz items: learners type "Non-Maximum
 * Suppression", "non maximum suppression" or "비최대 억제" / "비최대억제" and
 * all of them should match. Korean spacing (띄어쓰기) varies a lot between
 * writers, so comparison is done on a form with every space removed.
 */

/** Groups of spellings that mean the same thing, e.g. [['colour', 'color'], ['경계 상자', '바운딩 박스']]. */
export type SpellingVariants = readonly (readonly string[])[];

/**
 * Applies Unicode NFKC (full-width digits and letters, decomposed Hangul jamo
 * become their usual forms), lower-cases (locale-independent) unless
 * `caseSensitive`, turns hyphens and dashes, underscores, slashes and middle
 * dots (· ・) into spaces, drops quotes, drops punctuation (. , ; : ! ? 。 、)
 * at the end of a word or of the text, collapses runs of spaces and trims.
 * A dot inside a word ("v1.5", "e.g") is kept.
 *
 * @example
 * normaliseText('  Non-Maximum   Suppression. ') // "non maximum suppression"
 * normaliseText('ＩｏＵ')                        // "iou"
 * normaliseText('anchor_box/prior')             // "anchor box prior"
 */
export function normaliseText(s: string, opts: { caseSensitive?: boolean } = {}): string {
  let t = s.normalize('NFKC');
  if (!opts.caseSensitive) t = t.toLowerCase();
  return t
    .replace(/[‐‑‒–—―\-_/·・]/g, ' ')
    .replace(/["'`‘’“”«»「」『』]/g, '')
    .replace(/[.,;:!?。、]+(\s|$)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Replaces every spelling in a variant group by the group's first spelling,
 * longest spellings first so "bounding boxes" is not half-replaced by "box".
 * Works on already-normalised text; variants are normalised the same way.
 * With `ignoreSpaces` the text is expected without spaces and the variants
 * lose theirs too, so '경계 상자' also matches '경계상자'.
 *
 * @example
 * applyVariants('colour map', [['color', 'colour']]) // "color map"
 */
export function applyVariants(
  normalised: string,
  variants: SpellingVariants,
  opts: { caseSensitive?: boolean; ignoreSpaces?: boolean } = {},
): string {
  const form = (v: string) => (opts.ignoreSpaces ? squash(normaliseText(v, opts)) : normaliseText(v, opts));
  const pairs: [string, string][] = [];
  for (const group of variants) {
    if (group.length === 0) continue;
    const canon = form(group[0]!);
    for (const v of group) pairs.push([form(v), canon]);
  }
  pairs.sort((a, b) => b[0].length - a[0].length);
  // One pass with a combined pattern, so a replacement is never itself rewritten.
  const live = pairs.filter(([from]) => from.length > 0);
  if (live.length === 0) return normalised;
  const pattern = new RegExp(live.map(([from]) => escapeRegExp(from)).join('|'), 'g');
  const map = new Map(live);
  return normalised.replace(pattern, (m) => map.get(m) ?? m);
}

/**
 * The comparison key: normalised, spaces removed, then variants applied.
 * Spaces go first because a learner may type a variant without the spaces
 * the author wrote in it ('바운딩박스' for '바운딩 박스').
 *
 * @example
 * answerKey('바운딩박스', [['경계 상자', '바운딩 박스']]) // "경계상자"
 */
export function answerKey(s: string, variants: SpellingVariants = [], opts: { caseSensitive?: boolean } = {}): string {
  return applyVariants(squash(normaliseText(s, opts)), variants, { ...opts, ignoreSpaces: true });
}

/**
 * True when `given` matches any of `accepted` after normalisation.
 *
 * @example
 * textMatches('비최대억제', ['non-maximum suppression', '비최대 억제']) // true
 * textMatches('바운딩박스', ['경계 상자'], [['경계 상자', '바운딩 박스']]) // true
 */
export function textMatches(
  given: string,
  accepted: readonly string[],
  variants: SpellingVariants = [],
  opts: { caseSensitive?: boolean } = {},
): boolean {
  const key = answerKey(given, variants, opts);
  if (key === '') return false;
  return accepted.some((a) => answerKey(a, variants, opts) === key);
}

function squash(s: string): string {
  return s.replace(/\s+/g, '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
