import { describe, expect, it } from 'vitest';
import { isCellInfo, parseCellOptions } from '../../src/notebook/cell-options';
import { CellSyntaxError, parseCellSource } from '../../src/notebook/parse-cell';

describe('cell fence options', () => {
  it('recognises cell fences and only those', () => {
    expect(isCellInfo('js cell')).toBe(true);
    expect(isCellInfo('ojs cell hide')).toBe(true);
    expect(isCellInfo('js')).toBe(false);
    expect(isCellInfo('ts cell')).toBe(false);
    expect(isCellInfo('quiz')).toBe(false);
  });

  it('reads every documented option', () => {
    expect(parseCellOptions('js cell hide readonly norun output=below id=shifted-accuracy')).toEqual({
      hide: true,
      role: 'plumbing',
      show: false,
      readonly: true,
      norun: true,
      outputBelow: true,
      id: 'shifted-accuracy',
    });
    expect(parseCellOptions('js cell')).toEqual({ hide: false, show: false, readonly: false, norun: false, outputBelow: false });
    expect(parseCellOptions('js cell teach show')).toMatchObject({ role: 'teach', show: true, hide: false });
    expect(parseCellOptions('js cell plumbing')).toMatchObject({ role: 'plumbing', hide: true });
  });

  it('rejects an unknown option with a message naming it', () => {
    expect(() => parseCellOptions('js cell hidden')).toThrow(/Unknown cell option 'hidden'/);
  });
});

describe('parseCellSource (Observable JavaScript, as @observablehq/parser reads it)', () => {
  it('a named expression cell reads its free names', () => {
    const cell = parseCellSource('area = width * height');
    expect(cell).toMatchObject({ name: 'area', kind: 'plain', inputs: ['width', 'height'], block: false, async: false, generator: false });
    expect(cell.body).toBe('width * height');
  });

  it('viewof and mutable references become parameters', () => {
    const cell = parseCellSource('{ mutable count = mutable count + 1; return viewof slider.value }');
    expect(cell.inputs).toEqual(['mutable count', 'viewof slider']);
    expect(cell.body).toBe('{ $mutable_count.value = $mutable_count.value + 1; return $viewof_slider.value }');
  });

  it('a viewof cell is named by its view', () => {
    expect(parseCellSource('viewof k = Inputs.range([1, 7])')).toMatchObject({ name: 'k', kind: 'viewof' });
  });

  it('async and generator cells are detected', () => {
    expect(parseCellSource('{ await 1; yield 2 }')).toMatchObject({ async: true, generator: true, block: true });
  });

  it('syntax errors carry line and column', () => {
    try {
      parseCellSource('x = {\n  return (1 +\n}');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CellSyntaxError);
      expect((e as CellSyntaxError).line).toBe(3);
    }
  });

  it('import cells are refused with a reason', () => {
    expect(() => parseCellSource('import {x} from "@d3/y"')).toThrow(/already in scope/);
  });
});
