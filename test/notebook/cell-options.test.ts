import { describe, expect, it } from 'vitest';
import { cellRole, cellSummary, definedName, isReadElsewhere, parseCellOptions, TEACHING_CELL_MAX_LINES } from '../../src/notebook/cell-options';

const role = (code: string, info = 'js cell') => cellRole(code, parseCellOptions(info));

// The presentation rule of issue 19: a lesson reads prose → figure → knob → figure, with the code a learner should
// read shown and the drawing/loading code folded. The rule is the one written in docs/writing-a-lesson.md.
describe('cellRole', () => {
  it('takes the author\'s option first', () => {
    expect(role('d3.create("svg")', 'js cell teach')).toBe('teach');
    expect(role('iou = core.boxIou(a, b)', 'js cell plumbing')).toBe('plumbing');
    // `hide` is the older name of plumbing.
    expect(role('iou = core.boxIou(a, b)', 'js cell hide')).toBe('plumbing');
  });
  it('reads a short computation as teaching code', () => {
    expect(role('iou = tf.tidy(() => core.boxIou([a], [b]).arraySync()[0][0])')).toBe('teach');
    expect(role('function outputSize(n, k, s, p) {\n  return Math.floor((n + 2 * p - k) / s) + 1;\n}')).toBe('teach');
  });
  it('folds knobs, figures and long cells', () => {
    expect(role('viewof stride = Inputs.range([1, 4], {step: 1})')).toBe('plumbing');
    expect(role('chart = Plot.plot({marks: []})')).toBe('plumbing');
    expect(role('picture = { const root = d3.create("svg"); return root.node(); }')).toBe('plumbing');
    expect(role('readout = html`<b>${iou}</b>`')).toBe('plumbing');
    expect(role('md`**${count}** digits`')).toBe('plumbing');
    expect(role('drawn = vn.viz.drawBoxes(canvas, boxes)')).toBe('plumbing');
    const long = Array.from({ length: TEACHING_CELL_MAX_LINES + 1 }, (_, i) => `const v${i} = ${i};`).join('\n');
    expect(role(`x = {\n${long}\n}`)).toBe('plumbing');
    const justShort = Array.from({ length: TEACHING_CELL_MAX_LINES - 2 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    expect(role(`x = {\n${justShort}\n}`)).toBe('teach');
  });
  it('does not read a word that only contains a figure name as one', () => {
    // "svgPath" and "uiState" are names, not the html/svg templates or the ui room.
    expect(role('count = svgPath.length + uiState')).toBe('teach');
  });
});

describe('cellSummary', () => {
  it('uses the opening comment, else what the cell defines, and counts lines', () => {
    expect(cellSummary('// the scene loader\nscene = data.digitScenes({count: 1})[0]')).toBe('the scene loader · 2 lines');
    expect(cellSummary('viewof pair = {\n  return 1;\n}')).toBe('defines pair · 3 lines');
    expect(cellSummary('mutable clicks = 0')).toBe('defines clicks · 1 line');
    expect(cellSummary('a == b')).toBe('code · 1 line');
  });
});

describe('definedName and isReadElsewhere', () => {
  it('finds the name past opening comments', () => {
    expect(definedName('// loads the scene\nscene = data.digitScenes({count: 1})[0]')).toBe('scene');
    expect(definedName('viewof k = Inputs.range([1, 9])')).toBe('k');
    expect(definedName('{\n  return 1;\n}')).toBeNull();
    expect(definedName('a === b')).toBeNull();
  });
  it('sees a read of the name as a whole word, not inside another name or a property', () => {
    expect(isReadElsewhere('iou', ['html`${iou.toFixed(2)}`'])).toBe(true);
    expect(isReadElsewhere('iou', ['giou = 1', 'core.iou(a)', 'const iouFamily = 2'])).toBe(false);
    expect(isReadElsewhere('$x', ['y = $x + 1'])).toBe(true);
  });
});
