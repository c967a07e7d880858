import { parseCell } from '@observablehq/parser';

/** A cell's source parsed into what the runtime needs: its name, its inputs and its body. */
export interface ParsedCell {
  /** The variable name, or null for an anonymous cell. */
  name: string | null;
  /** `viewof x = ...` defines both `viewof x` (the element) and `x` (its value). */
  kind: 'plain' | 'viewof' | 'mutable';
  /** Names this cell reads, as the runtime spells them (`x`, `viewof x`, `mutable x`). */
  inputs: string[];
  /** The body's source with `viewof x` / `mutable x` rewritten to parameter names. */
  body: string;
  /** True when the body is a block `{ ... }` rather than an expression. */
  block: boolean;
  async: boolean;
  generator: boolean;
}

/** A syntax error with the line and column in the cell, for the message shown in the cell. */
export class CellSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

interface Node {
  type: string;
  start: number;
  end: number;
  name?: string;
  id?: Node;
}

/** Parameter name that stands for `viewof x` or `mutable x` inside the compiled body. */
export function paramName(input: string): string {
  if (input.startsWith('viewof ')) return `$viewof_${input.slice(7)}`;
  if (input.startsWith('mutable ')) return `$mutable_${input.slice(8)}`;
  return input;
}

/**
 * Parses Observable JavaScript the way @observablehq/parser does, and keeps
 * only what the compiler needs. Throws CellSyntaxError with a position.
 */
export function parseCellSource(source: string): ParsedCell {
  let cell;
  try {
    cell = parseCell(source);
  } catch (error) {
    const e = error as Error & { loc?: { line: number; column: number } };
    throw new CellSyntaxError(e.message, e.loc?.line ?? 1, e.loc?.column ?? 0);
  }
  if (cell.body && cell.body.type === 'ImportDeclaration') {
    throw new CellSyntaxError('Import cells are not supported: everything a lesson needs is already in scope.', 1, 0);
  }
  const id = cell.id as Node | null;
  const kind = id?.type === 'ViewExpression' ? 'viewof' : id?.type === 'MutableExpression' ? 'mutable' : 'plain';
  const name = id ? (id.type === 'Identifier' ? id.name! : id.id!.name!) : null;

  const body = cell.body as Node | null;
  if (!body) return { name, kind, inputs: [], body: 'undefined', block: false, async: false, generator: false };

  const inputs: string[] = [];
  const rewrites: Array<{ start: number; end: number; text: string }> = [];
  for (const ref of cell.references as Node[]) {
    let input: string;
    if (ref.type === 'ViewExpression') input = `viewof ${ref.id!.name}`;
    else if (ref.type === 'MutableExpression') input = `mutable ${ref.id!.name}`;
    else input = ref.name!;
    if (!inputs.includes(input)) inputs.push(input);
    if (ref.type === 'ViewExpression') rewrites.push({ start: ref.start, end: ref.end, text: paramName(input) });
    if (ref.type === 'MutableExpression') rewrites.push({ start: ref.start, end: ref.end, text: `${paramName(input)}.value` });
  }
  rewrites.sort((a, b) => b.start - a.start);
  let text = source;
  for (const r of rewrites) text = text.slice(0, r.start) + r.text + text.slice(r.end);
  // Each rewrite changes the length; the body still starts where it started, since all rewrites lie inside it.
  const shift = rewrites.reduce((sum, r) => sum + r.text.length - (r.end - r.start), 0);
  const bodyText = text.slice(body.start, body.end + shift);

  return {
    name,
    kind,
    inputs,
    body: bodyText,
    block: body.type === 'BlockStatement',
    async: Boolean(cell.async),
    generator: Boolean(cell.generator),
  };
}
