import { describe, expect, it } from 'vitest';
import { decodeInputs, encodeInputs, inputsFromUrl, LIMITS, ShareLinkError, shareUrl } from '../../src/exercises/share-link';

const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

describe('encodeInputs / decodeInputs', () => {
  it('round-trips every kind of value a link carries, Korean text included', () => {
    const values = { iouThreshold: 0.5, k: 3, useSoft: false, label: '고양이 & cat?', sizes: [32, 64, 128], names: ['a', 'b'], empty: [] as number[] };
    const s = encodeInputs(values);
    expect(s).toMatch(/^[A-Za-z0-9_-]+$/); // URL-safe without escaping
    expect({ ...decodeInputs(s) }).toEqual(values);
  });
  it('is base64url of the JSON (the documented format)', () => {
    // JSON '{"iouThreshold":0.5}' -> base64url 'eyJpb3VUaHJlc2hvbGQiOjAuNX0'
    expect(encodeInputs({ iouThreshold: 0.5 })).toBe('eyJpb3VUaHJlc2hvbGQiOjAuNX0');
  });
  it('refuses values a link cannot carry', () => {
    expect(() => encodeInputs({ x: NaN })).toThrow("'x' is not a finite number");
    expect(() => encodeInputs({ x: { a: 1 } } as never)).toThrow(ShareLinkError);
    expect(() => encodeInputs({ x: [1, 'a'] } as never)).toThrow("'x' must be a list of numbers or a list of strings");
    expect(() => encodeInputs({ f: (() => 1) as never })).toThrow(ShareLinkError);
    expect(() => encodeInputs({ 'a-b': 1 })).toThrow("'a-b' is not an input name");
  });
  it('refuses what would not fit in a link', () => {
    const big = { s: 'x'.repeat(LIMITS.stringChars) , t: 'y'.repeat(LIMITS.stringChars), u: 'z'.repeat(LIMITS.stringChars) };
    // 3 * 1000 chars of JSON + keys -> about 4,024 bytes -> about 5,366 base64 chars > 4,000
    expect(() => encodeInputs(big)).toThrow(/too large for a link/);
  });
});

describe('decodeInputs never evaluates and validates everything', () => {
  it('treats code-looking strings as plain strings', () => {
    const s = b64url('{"label":"alert(1)","n":1}');
    expect({ ...decodeInputs(s) }).toEqual({ label: 'alert(1)', n: 1 });
  });
  it('refuses prototype keys, nested objects, nulls and non-objects', () => {
    expect(() => decodeInputs(b64url('{"__proto__":{"polluted":1}}'))).toThrow("'__proto__' is not an input name");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => decodeInputs(b64url('{"constructor":1}'))).toThrow(ShareLinkError);
    expect(() => decodeInputs(b64url('{"a":{"b":1}}'))).toThrow(ShareLinkError);
    expect(() => decodeInputs(b64url('{"a":null}'))).toThrow(ShareLinkError);
    expect(() => decodeInputs(b64url('[1,2]'))).toThrow('the link does not hold a set of named values');
  });
  it('refuses malformed text: bad characters, not JSON, not UTF-8, too long', () => {
    expect(() => decodeInputs('abc$')).toThrow('the link is not well formed (unexpected characters)');
    expect(() => decodeInputs(b64url('{x:1}'))).toThrow('the link is not well formed (not JSON)');
    expect(() => decodeInputs(Buffer.from([0xff, 0xfe]).toString('base64url'))).toThrow('the link is not well formed (not UTF-8)');
    expect(() => decodeInputs('a'.repeat(LIMITS.encodedChars + 1))).toThrow(/too long/);
    expect(() => decodeInputs('')).toThrow('the link holds no values');
  });
  it('refuses too many keys and over-long arrays', () => {
    const many = Object.fromEntries(Array.from({ length: LIMITS.keys + 1 }, (_, i) => [`k${i}`, 1]));
    expect(() => decodeInputs(b64url(JSON.stringify(many)))).toThrow(/too many values/);
    expect(() => decodeInputs(b64url(JSON.stringify({ a: Array(LIMITS.arrayItems + 1).fill(0) })))).toThrow(/more than 1000 items/);
  });
});

describe('shareUrl / inputsFromUrl', () => {
  it('puts the values in ?exp= keeping path and hash, and reads them back', () => {
    const url = shareUrl('https://x.org/lessons/06-boxes-iou-nms/?a=1#nms', { iouThreshold: 0.3 });
    expect(url).toBe('https://x.org/lessons/06-boxes-iou-nms/?a=1&exp=eyJpb3VUaHJlc2hvbGQiOjAuM30#nms');
    expect(inputsFromUrl(url).values).toEqual({ iouThreshold: 0.3 });
  });
  it('says nothing when there are no values and explains an unreadable link', () => {
    expect(inputsFromUrl('https://x.org/lessons/a/')).toEqual({ values: null });
    expect(inputsFromUrl('https://x.org/lessons/a/?exp=%%%')).toEqual({
      values: null,
      error: "This link's experiment could not be restored: the link is not well formed (unexpected characters).",
    });
  });
});
