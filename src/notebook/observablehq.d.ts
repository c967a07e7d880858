// The Observable packages ship no types; these cover what the engine uses.
declare module '@observablehq/runtime' {
  export class Runtime {
    constructor(builtins?: Record<string, unknown>, global?: (name: string) => unknown);
    module(): unknown;
    dispose(): void;
  }
}
declare module '@observablehq/parser' {
  export function parseCell(source: string): any;
}
declare module '@observablehq/inspector' {
  export class Inspector {
    constructor(element: HTMLElement);
    fulfilled(value: unknown, name?: string | null): void;
    rejected(error: unknown): void;
    pending(): void;
  }
}
declare module '@observablehq/stdlib' {
  export class Library {
    constructor();
    [name: string]: any;
  }
}
declare module '@observablehq/inputs';
