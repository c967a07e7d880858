/**
 * Shareable experiments: a lesson's input values packed into one URL query
 * parameter, and read back. Only values travel: numbers, strings, booleans
 * and flat arrays of numbers or of strings, under names that look like cell
 * names. Decoding is `JSON.parse` plus a strict check of every entry; nothing
 * read from a URL is ever evaluated, and anything unexpected is refused with
 * a `ShareLinkError` (the page then keeps its defaults).
 *
 * Format: base64url (RFC 4648 §5, no padding) of the UTF-8 JSON object, so it
 * needs no further escaping in a query string or a hash.
 */

export type ShareValue = number | string | boolean | number[] | string[];
export type ShareValues = Record<string, ShareValue>;

/** The query parameter that carries the values: `?exp=...`. */
export const SHARE_PARAM = 'exp';
export const LIMITS = { encodedChars: 4000, keys: 64, stringChars: 1000, arrayItems: 1000 } as const;

const NAME = /^[A-Za-z_$][\w$]{0,63}$/;
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

export class ShareLinkError extends Error {
  override name = 'ShareLinkError';
}

function checkValues(values: unknown): ShareValues {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new ShareLinkError('the link does not hold a set of named values');
  const entries = Object.entries(values as Record<string, unknown>);
  if (entries.length > LIMITS.keys) throw new ShareLinkError(`too many values (${entries.length} > ${LIMITS.keys})`);
  // A null-prototype object: no name can reach Object.prototype.
  const out: ShareValues = Object.create(null) as ShareValues;
  for (const [k, v] of entries) {
    if (!NAME.test(k) || FORBIDDEN_NAMES.has(k)) throw new ShareLinkError(`'${k.slice(0, 40)}' is not an input name`);
    out[k] = checkValue(k, v);
  }
  return out;
}

function checkValue(k: string, v: unknown): ShareValue {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ShareLinkError(`'${k}' is not a finite number`);
    return v;
  }
  if (typeof v === 'string') {
    if (v.length > LIMITS.stringChars) throw new ShareLinkError(`'${k}' is longer than ${LIMITS.stringChars} characters`);
    return v;
  }
  if (Array.isArray(v)) {
    if (v.length > LIMITS.arrayItems) throw new ShareLinkError(`'${k}' has more than ${LIMITS.arrayItems} items`);
    if (v.every((x) => typeof x === 'number' && Number.isFinite(x))) return [...v] as number[];
    if (v.every((x) => typeof x === 'string' && x.length <= LIMITS.stringChars)) return [...v] as string[];
    throw new ShareLinkError(`'${k}' must be a list of numbers or a list of strings`);
  }
  throw new ShareLinkError(`'${k}' has a value of a kind links cannot carry`);
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new ShareLinkError('the link is not well formed (unexpected characters)');
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new ShareLinkError('the link is not well formed');
  }
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * Packs input values into a URL-safe string. Throws `ShareLinkError` for a
 * value links cannot carry (NaN, an object, a function, mixed arrays) or when
 * the result would exceed `LIMITS.encodedChars`.
 *
 * @example
 * encodeInputs({ iouThreshold: 0.5 }) // "eyJpb3VUaHJlc2hvbGQiOjAuNX0"
 */
export function encodeInputs(values: ShareValues): string {
  const clean = checkValues(values);
  const s = toBase64Url(new TextEncoder().encode(JSON.stringify({ ...clean })));
  if (s.length > LIMITS.encodedChars) throw new ShareLinkError(`these values are too large for a link (${s.length} > ${LIMITS.encodedChars} characters)`);
  return s;
}

/**
 * Reads values packed by `encodeInputs`. Never evaluates: base64url, UTF-8,
 * `JSON.parse`, then every name and value is checked. Throws `ShareLinkError`.
 *
 * @example
 * decodeInputs('eyJpb3VUaHJlc2hvbGQiOjAuNX0') // { iouThreshold: 0.5 }
 */
export function decodeInputs(s: string): ShareValues {
  if (typeof s !== 'string' || s.length === 0) throw new ShareLinkError('the link holds no values');
  if (s.length > LIMITS.encodedChars) throw new ShareLinkError(`the link is too long (${s.length} > ${LIMITS.encodedChars} characters)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(s));
  } catch (e) {
    if (e instanceof ShareLinkError) throw e;
    throw new ShareLinkError('the link is not well formed (not UTF-8)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ShareLinkError('the link is not well formed (not JSON)');
  }
  return checkValues(parsed);
}

/**
 * `href` with the values set in its `exp` query parameter (path and hash kept).
 *
 * @example
 * shareUrl('https://x.org/lessons/06-boxes-iou-nms/#nms', { iouThreshold: 0.3 })
 * // "https://x.org/lessons/06-boxes-iou-nms/?exp=eyJpb3VUaHJlc2hvbGQiOjAuM30#nms"
 */
export function shareUrl(href: string, values: ShareValues): string {
  const url = new URL(href);
  url.searchParams.set(SHARE_PARAM, encodeInputs(values));
  return url.toString();
}

/**
 * The values carried by a URL: `{ values: null }` when it carries none,
 * `{ values: null, error }` when its parameter is unreadable.
 *
 * @example
 * const { values, error } = inputsFromUrl(location.href);
 */
export function inputsFromUrl(href: string): { values: ShareValues | null; error?: string } {
  let param: string | null;
  try {
    param = new URL(href).searchParams.get(SHARE_PARAM);
  } catch {
    return { values: null, error: 'the page address is not a URL' };
  }
  if (param === null) return { values: null };
  try {
    return { values: decodeInputs(param) };
  } catch (e) {
    return { values: null, error: `This link's experiment could not be restored: ${(e as Error).message}.` };
  }
}
