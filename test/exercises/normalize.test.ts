import { describe, expect, it } from 'vitest';
import { answerKey, applyVariants, normaliseText, textMatches } from '../../src/exercises/normalize';

describe('normaliseText', () => {
  it('lower-cases, turns hyphens into spaces, collapses spaces and drops trailing punctuation', () => {
    expect(normaliseText('  Non-Maximum   Suppression. ')).toBe('non maximum suppression');
  });
  it('applies NFKC: full-width letters and decomposed Hangul become their usual forms', () => {
    expect(normaliseText('ＩｏＵ')).toBe('iou');
    // '억' decomposed into jamo U+110B U+1165 U+11A8 composes back to U+C5B5 under NFKC.
    expect(normaliseText('\u110B\u1165\u11A8제')).toBe('억제');
  });
  it('reads underscores, slashes and middle dots as spaces, keeps a dot inside a word, drops quotes', () => {
    expect(normaliseText('anchor_box/prior')).toBe('anchor box prior');
    expect(normaliseText('v1.5 "IoU"·NMS.')).toBe('v1.5 iou nms');
  });
  it('keeps case when asked', () => {
    expect(normaliseText('IoU', { caseSensitive: true })).toBe('IoU');
  });
});

describe('applyVariants', () => {
  it('maps every spelling of a group to its first spelling, longest first', () => {
    expect(applyVariants('colour map', [['color', 'colour']])).toBe('color map');
    // 'bounding boxes' must not become 'bounding 상자es' via the shorter 'box'.
    expect(applyVariants('bounding boxes', [['상자', 'box'], ['경계 상자들', 'bounding boxes']])).toBe('경계 상자들');
  });
  it('never rewrites a replacement again', () => {
    // one pass: 'a' -> 'b', and the produced 'b' is not then turned into 'c'
    expect(applyVariants('a', [['b', 'a'], ['c', 'b']])).toBe('b');
  });
});

describe('textMatches (Korean and English)', () => {
  const accepted = ['non-maximum suppression', 'NMS', '비최대 억제'];
  it('accepts case, spacing and hyphen variations', () => {
    expect(textMatches('Non Maximum Suppression', accepted)).toBe(true);
    expect(textMatches('nms', accepted)).toBe(true);
    expect(textMatches('nonmaximum suppression', accepted)).toBe(true);
  });
  it('accepts Korean with or without 띄어쓰기', () => {
    expect(textMatches('비최대억제', accepted)).toBe(true);
    expect(textMatches('비 최대 억제', accepted)).toBe(true);
  });
  it('accepts author-given spelling variants and rejects other words', () => {
    const variants = [['억제', '억압'], ['suppression', 'supression']];
    expect(textMatches('비최대 억압', accepted, variants)).toBe(true);
    expect(textMatches('non-maximum supression', accepted, variants)).toBe(true);
    expect(textMatches('비최대 억압', accepted)).toBe(false);
    expect(textMatches('max pooling', accepted, variants)).toBe(false);
  });
  it('matches a variant written with spaces when the learner types it without them, and the reverse', () => {
    const variants = [['경계 상자', '바운딩 박스']];
    expect(textMatches('바운딩박스', ['경계 상자'], variants)).toBe(true);
    expect(textMatches('바운딩 박스', ['경계 상자'], variants)).toBe(true);
    expect(textMatches('경계상자', ['경계 상자'], variants)).toBe(true);
    expect(textMatches('바운딩박스', ['경계상자'], variants)).toBe(true);
    expect(answerKey('바운딩박스', variants)).toBe('경계상자');
    expect(textMatches('바운딩', ['경계 상자'], variants)).toBe(false);
  });
  it('matches an English variant with spaces typed as one word', () => {
    expect(textMatches('boundingbox', ['bbox'], [['bbox', 'bounding box']])).toBe(true);
  });
  it('never accepts an empty answer', () => {
    expect(textMatches('  . ', ['.'])).toBe(false);
    expect(answerKey(' A b ')).toBe('ab');
  });
});
