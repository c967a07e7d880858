/**
 * Resolves in a later task, not a microtask, so the browser can paint and
 * handle input between training steps (a resolved promise would not let it).
 * Lives outside every room so both the notebook's training panel and the
 * training loop can use it without importing each other.
 */
export const nextMacrotask = (): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, 0));
