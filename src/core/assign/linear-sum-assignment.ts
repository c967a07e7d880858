import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';

export interface AssignmentOptions {
  /** Maximise the total instead of minimising it (default false). */
  maximize?: boolean;
}

export interface Assignment {
  /** Assigned row indices, ascending. */
  rows: number[];
  /** `cols[k]` is the column assigned to `rows[k]`. */
  cols: number[];
}

/**
 * Solves the rectangular linear sum assignment problem (the Hungarian matching
 * DETR uses between predictions and ground truth), as
 * scipy.optimize.linear_sum_assignment: each row is matched to at most one
 * column and each column to at most one row, min(n, m) pairs, minimising (or
 * maximising) the summed cost. Shortest augmenting path (Jonker-Volgenant as in
 * Crouse 2016), ported from scipy's rectangular_lsap.
 *
 * Infinity marks a forbidden pair; a matrix where no complete assignment avoids
 * them throws, as does NaN or -Infinity (+Infinity when maximising).
 *
 * @example
 * linearSumAssignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]]); // {rows: [0, 1, 2], cols: [1, 0, 2]} (cost 5)
 */
export function linearSumAssignment(cost: tf.Tensor | number[][], options: AssignmentOptions = {}): Assignment {
  const op = 'linearSumAssignment';
  const { values, nr, nc } = readCost(op, cost);
  if (nr === 0 || nc === 0) return { rows: [], cols: [] };
  const transpose = nc < nr;
  const r = transpose ? nc : nr;
  const c = transpose ? nr : nc;
  const m = new Float64Array(r * c);
  const sign = options.maximize ? -1 : 1;
  for (let i = 0; i < nr; i++) {
    for (let j = 0; j < nc; j++) {
      const v = sign * values[i * nc + j];
      if (Number.isNaN(v) || v === -Infinity) {
        fail(op, 'cost', options.maximize ? 'numbers or -Infinity (forbidden) when maximising' : 'numbers or Infinity (forbidden)', `${values[i * nc + j]} at [${i}, ${j}]`);
      }
      m[transpose ? j * c + i : i * c + j] = v;
    }
  }
  const col4row = solve(m, r, c);
  if (!col4row) fail(op, 'cost', 'a feasible matrix (every row of the smaller side can be assigned a finite-cost column)', 'no complete assignment avoids the forbidden (infinite) entries');
  if (!transpose) return { rows: Array.from({ length: r }, (_, i) => i), cols: Array.from(col4row) };
  // Transposed: rows of the original are our columns; sort the pairs by original row.
  const pairs = Array.from(col4row, (origRow, origCol) => [origRow, origCol]).sort((a, b) => a[0] - b[0]);
  return { rows: pairs.map((p) => p[0]), cols: pairs.map((p) => p[1]) };
}

function readCost(op: string, cost: tf.Tensor | number[][]): { values: ArrayLike<number>; nr: number; nc: number } {
  if (cost instanceof tf.Tensor) {
    if (cost.rank !== 2) fail(op, 'cost', 'a 2-D cost matrix', `shape [${cost.shape}]`);
    return { values: cost.dataSync(), nr: cost.shape[0] as number, nc: cost.shape[1] as number };
  }
  if (!Array.isArray(cost)) fail(op, 'cost', 'a 2-D tensor or number[][]', typeof cost);
  const nr = cost.length;
  const nc = nr ? (Array.isArray(cost[0]) ? cost[0].length : -1) : 0;
  const values = new Float64Array(Math.max(0, nr * nc));
  cost.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== nc) fail(op, 'cost', `rows of equal length (${nc})`, `row ${i} = ${JSON.stringify(row)}`);
    row.forEach((v, j) => {
      if (typeof v !== 'number') fail(op, 'cost', 'numbers', `${JSON.stringify(v)} at [${i}, ${j}]`);
    });
    values.set(row, i * nc);
  });
  return { values, nr, nc };
}

/** Row-major `r x c` costs with r <= c; returns the column of each row, or null if infeasible. */
function solve(cost: Float64Array, nr: number, nc: number): Int32Array | null {
  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortest = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const SR = new Uint8Array(nr);
  const SC = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let curRow = 0; curRow < nr; curRow++) {
    // Dijkstra-like search for the shortest augmenting path from curRow to a free column.
    let minVal = 0;
    let numRemaining = nc;
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    SR.fill(0);
    SC.fill(0);
    shortest.fill(Infinity);
    let sink = -1;
    let i = curRow;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      SR[i] = 1;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it];
        const r = minVal + cost[i * nc + j] - u[i] - v[j];
        if (r < shortest[j]) {
          path[j] = i;
          shortest[j] = r;
        }
        // On ties prefer a free column: it ends the search (matters for integer costs).
        if (shortest[j] < lowest || (shortest[j] === lowest && row4col[j] === -1)) {
          lowest = shortest[j];
          index = it;
        }
      }
      minVal = lowest;
      if (minVal === Infinity) return null;
      const j = remaining[index];
      if (row4col[j] === -1) sink = j;
      else i = row4col[j];
      SC[j] = 1;
      remaining[index] = remaining[--numRemaining];
    }
    // Update the dual variables.
    u[curRow] += minVal;
    for (let r = 0; r < nr; r++) if (SR[r] && r !== curRow) u[r] += minVal - shortest[col4row[r]];
    for (let j = 0; j < nc; j++) if (SC[j]) v[j] -= minVal - shortest[j];
    // Augment the matching along the path.
    let j = sink;
    for (;;) {
      const r = path[j];
      row4col[j] = r;
      const prev = col4row[r];
      col4row[r] = j;
      j = prev;
      if (r === curRow) break;
    }
  }
  return col4row;
}
