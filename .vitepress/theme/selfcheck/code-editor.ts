/**
 * A CodeMirror 6 editor (codemirror@6.0.2 API: EditorView + basicSetup),
 * loaded with dynamic imports so neither SSR nor pages without exercises pay
 * for it. Colours come from VitePress's CSS variables, so it follows dark mode.
 */

export interface CodeEditor {
  getCode(): string;
  setCode(code: string): void;
  focus(): void;
  destroy(): void;
}

/**
 * @example
 * const ed = await createCodeEditor(el, starter, { onRun: run, label: 'IoU exercise code' });
 */
export async function createCodeEditor(
  parent: HTMLElement,
  doc: string,
  opts: { onRun: () => void; onFocus?: () => void; label: string },
): Promise<CodeEditor> {
  const [{ EditorView, basicSetup }, { javascript }, { keymap }, { Prec }, language, highlight] = await Promise.all([
    import('codemirror'),
    import('@codemirror/lang-javascript'),
    import('@codemirror/view'),
    import('@codemirror/state'),
    import('@codemirror/language'),
    import('@lezer/highlight').catch(() => null),
  ]);
  const { tags: t } = highlight ?? { tags: null };
  const extensions = [
    basicSetup,
    javascript(),
    Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (opts.onRun(), true) }])),
    EditorView.contentAttributes.of({ 'aria-label': opts.label }),
    EditorView.domEventHandlers({ focus: () => void opts.onFocus?.() }),
    EditorView.theme({
      '&': { backgroundColor: 'var(--vp-code-block-bg)', color: 'var(--vp-c-text-1)', fontSize: '14px', borderRadius: '6px' },
      '.cm-content': { fontFamily: 'var(--vp-font-family-mono)', caretColor: 'var(--vp-c-brand-1)' },
      '.cm-gutters': { backgroundColor: 'var(--vp-code-block-bg)', color: 'var(--vp-c-text-3)', border: 'none' },
      '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--vp-c-default-soft)' },
      '&.cm-focused': { outline: '2px solid var(--vp-c-brand-1)' },
      '.cm-cursor': { borderLeftColor: 'var(--vp-c-brand-1)' },
      '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--vp-c-brand-soft)' },
    }),
  ];
  if (t) {
    extensions.push(
      language.syntaxHighlighting(
        language.HighlightStyle.define([
          { tag: [t.keyword, t.controlKeyword, t.operatorKeyword], color: 'var(--sc-tok-keyword)' },
          { tag: [t.number, t.bool, t.null], color: 'var(--sc-tok-number)' },
          { tag: [t.string, t.special(t.string)], color: 'var(--sc-tok-string)' },
          { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--sc-tok-comment)', fontStyle: 'italic' },
          { tag: [t.function(t.variableName), t.function(t.propertyName)], color: 'var(--sc-tok-function)' },
          { tag: [t.definition(t.variableName)], color: 'var(--sc-tok-def)' },
        ]),
      ),
    );
  }
  const view = new EditorView({ doc, extensions, parent });
  return {
    getCode: () => view.state.doc.toString(),
    setCode: (code) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } }),
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
