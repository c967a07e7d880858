/** A readable message for whatever a cell threw: syntax errors get their line and column. */
export function describeError(error: unknown): { title: string; detail: string } {
  if (error instanceof Error) {
    const e = error as Error & { line?: number; column?: number; input?: string };
    if (e.name === 'SyntaxError' && e.line !== undefined) {
      return { title: 'Syntax error', detail: `${e.message.replace(/\s*\(\d+:\d+\)$/, '')} (line ${e.line}, column ${e.column! + 1})` };
    }
    if (e.name === 'RuntimeError' && /is not defined$/.test(e.message)) {
      return { title: 'Unknown name', detail: `${e.message}. Is it defined in another cell, or misspelt?` };
    }
    if (e.name === 'RuntimeError' && e.input) {
      return { title: 'Input failed', detail: `This cell reads '${e.input}', which failed: ${e.message}` };
    }
    return { title: e.name === 'Error' ? 'Error' : e.name, detail: e.message };
  }
  return { title: 'Error', detail: String(error) };
}
