import { describe, expect, it } from 'vitest';
import * as library from '../src/library';
import { COURSE_NAMES } from '../src/course';

describe('the course namespace the site hands the cell engine', () => {
  it('names vn and every room of library.ts, so cells see each room by its own name', () => {
    expect([...COURSE_NAMES].sort()).toEqual(['vn', ...Object.keys(library)].sort());
  });
});
