/**
 * A small named registry: the one way a role with several members (backbones,
 * necks, heads, detectors, pretrained detectors) lets a caller pick a member by
 * name. An unknown name is an error that lists the allowed names, so a typo in
 * a cell reads as a sentence; members register once, in their room's
 * `index.ts`, so adding a member is one line there and nothing else.
 *
 * @example
 * const heads = createRegistry<HeadEntry>('buildHead', 'name');
 * heads.register('centernet', centerNetHeadEntry);
 * heads.get('centernet'); // the entry; heads.get('yolo') throws naming 'centernet'
 */
export interface Registry<T> {
  /** Adds a member; a name registered twice is a programming error. */
  register(name: string, entry: T): void;
  /** The member called `name`, or an error naming `op`, `arg` and the allowed names. */
  get(name: string): T;
  has(name: string): boolean;
  /** Names in registration order. */
  names(): string[];
  /** [name, entry] pairs in registration order. */
  entries(): [string, T][];
}

import { fail } from './validate';

export function createRegistry<T>(op: string, arg: string): Registry<T> {
  const members = new Map<string, T>();
  const allowed = (): string =>
    members.size === 0 ? 'a registered name (none is registered yet)' : `one of ${[...members.keys()].map((n) => `'${n}'`).join(', ')}`;
  return {
    register(name, entry) {
      if (members.has(name)) throw new Error(`${op}: '${name}' is registered twice.`);
      members.set(name, entry);
    },
    get(name) {
      const entry = typeof name === 'string' ? members.get(name) : undefined;
      if (entry === undefined) fail(op, arg, allowed(), `'${String(name)}'`);
      return entry;
    },
    has: (name) => members.has(name),
    names: () => [...members.keys()],
    entries: () => [...members.entries()],
  };
}
