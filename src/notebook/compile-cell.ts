import { paramName, type ParsedCell } from './parse-cell';

/** One runtime variable a cell defines. A `viewof` cell defines two, a `mutable` cell three. */
export interface VariableDefinition {
  name: string | null;
  inputs: string[];
  definition: (...args: any[]) => unknown;
}

/** Tracks a value for disposal when the cell that made it is invalidated (see tensor-keeper.ts). */
export type KeeperFactory = (invalidation: Promise<void>) => <T>(value: T) => T;

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as FunctionConstructor;
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as FunctionConstructor;
const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor as FunctionConstructor;

function constructorFor(cell: ParsedCell): FunctionConstructor {
  if (cell.async && cell.generator) return AsyncGeneratorFunction;
  if (cell.async) return AsyncFunction;
  if (cell.generator) return GeneratorFunction;
  return Function;
}

/**
 * Turns a parsed cell into runtime variable definitions, the way Observable
 * notebooks compile: the body becomes a function whose parameters are the
 * names it reads, so the runtime re-runs it when any of them changes.
 *
 * A cell may call `keep(x)` to have `x` (a tensor, a model, anything with
 * dispose()) disposed when the cell re-runs or the page is left; `keep` is
 * bound to that cell's own `invalidation` promise.
 */
export function compileCell(cell: ParsedCell, keeperFactory: KeeperFactory): VariableDefinition[] {
  const usesKeep = cell.inputs.includes('keep');
  const inputs = cell.inputs.filter((name) => name !== 'keep');
  if (usesKeep && !inputs.includes('invalidation')) inputs.push('invalidation');

  const params = inputs.map(paramName);
  const prelude = usesKeep ? 'const keep = $keeperFactory(invalidation);\n' : '';
  const source = cell.block ? `${prelude}${cell.body.slice(1, -1)}` : `${prelude}return (\n${cell.body}\n);`;
  const Ctor = constructorFor(cell);
  const raw = new Ctor('$keeperFactory', ...params, source) as (...args: unknown[]) => unknown;
  const definition = (...args: unknown[]) => raw(keeperFactory, ...args);

  if (cell.kind === 'viewof') {
    const view = `viewof ${cell.name}`;
    return [
      { name: view, inputs, definition },
      { name: cell.name, inputs: ['Generators', view], definition: (G: any, v: unknown) => G.input(v) },
    ];
  }
  if (cell.kind === 'mutable') {
    const initial = `initial ${cell.name}`;
    const mutable = `mutable ${cell.name}`;
    return [
      { name: initial, inputs, definition },
      { name: mutable, inputs: ['Mutable', initial], definition: (M: any, value: unknown) => new M(value) },
      { name: cell.name, inputs: [mutable], definition: (m: any) => m.generator },
    ];
  }
  return [{ name: cell.name, inputs, definition }];
}
