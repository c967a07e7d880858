/**
 * Exercise: cut a 2-D map into M x M windows as Swin's window_partition does
 * (torchvision swin_transformer.py: view(B, H/M, M, W/M, M, C).permute(0, 1, 3, 2, 4, 5)):
 * windows in row-major order over the map, each window's rows in order.
 */
import { defineExercise } from '../../../src/exercises/index';

/** The reference: windows row-major over the map, each an M x M array (checked against nn.swin.windowPartition in the unit tests). */
export function windowPartition(map: number[][], m: number): number[][][] {
  const windows: number[][][] = [];
  for (let wy = 0; wy < map.length / m; wy++) {
    for (let wx = 0; wx < map[0]!.length / m; wx++) {
      windows.push(Array.from({ length: m }, (_, i) => map[wy * m + i]!.slice(wx * m, wx * m + m)));
    }
  }
  return windows;
}

export default defineExercise({
  id: 'window-partition',
  title: 'Window partition of a small map',
  entry: 'windowPartition',
  starter: `/**
 * Cut an H x W map (an array of rows) into windows of m x m, H and W multiples of m.
 * Return the windows in row-major order over the map (left to right, then down),
 * each window an m x m array of rows.
 */
function windowPartition(map, m) {
  return [map];
}
`,
  solution: `function windowPartition(map, m) {
  const out = [];
  for (let wy = 0; wy < map.length / m; wy++)
    for (let wx = 0; wx < map[0].length / m; wx++)
      out.push(map.slice(wy * m, wy * m + m).map((row) => row.slice(wx * m, wx * m + m)));
  return out;
}
`,
  hints: [
    'There are (H/m)·(W/m) windows; window number k sits at row k div (W/m), column k mod (W/m) of the window grid.',
    'Window (wy, wx) holds rows wy·m .. wy·m + m - 1 and, of each, columns wx·m .. wx·m + m - 1.',
    'Loop over window rows outside, window columns inside: that is row-major order.',
  ],
  cases: [
    // 4x4 of 4·row + col, m = 2: [[0,1],[4,5]], [[2,3],[6,7]], [[8,9],[12,13]], [[10,11],[14,15]]
    { args: [[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]], 2], visible: true, label: '4x4, m = 2' },
    // m = map size: one window, the map itself
    { args: [[[1, 2], [3, 4]], 2], visible: true, label: 'one window' },
    // m = 1: every value its own window, row-major: [[[1]], [[2]], [[3]], [[4]], [[5]], [[6]]]
    { args: [[[1, 2, 3], [4, 5, 6]], 1], label: 'm = 1' },
    // 2x6, m = 2: three windows side by side
    { args: [[[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]], 2], label: 'a wide map' },
    // 6x3, m = 3: two windows stacked
    { args: [[[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12], [13, 14, 15], [16, 17, 18]], 3], label: 'a tall map' },
  ],
  reference: windowPartition,
});
