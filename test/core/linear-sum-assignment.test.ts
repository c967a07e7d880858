import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { linearSumAssignment, seededRandom } from '../../src/core/index';
import { noLeak } from './helpers';

// Reference semantics: scipy.optimize.linear_sum_assignment (rows ascending, min(n, m) pairs).

/** Best total over every injective row→column map (or column→row when n > m). */
function bruteForce(cost: number[][], maximize = false): number {
  const n = cost.length;
  const m = cost[0].length;
  const k = Math.min(n, m);
  let best = maximize ? -Infinity : Infinity;
  const used = new Array<boolean>(Math.max(n, m)).fill(false);
  const at = (a: number, b: number) => (n <= m ? cost[a][b] : cost[b][a]);
  const walk = (a: number, total: number) => {
    if (a === k) {
      best = maximize ? Math.max(best, total) : Math.min(best, total);
      return;
    }
    for (let b = 0; b < Math.max(n, m); b++) {
      if (used[b]) continue;
      used[b] = true;
      walk(a + 1, total + at(a, b));
      used[b] = false;
    }
  };
  walk(0, 0);
  return best;
}

const total = (cost: number[][], { rows, cols }: { rows: number[]; cols: number[] }) => rows.reduce((s, r, k) => s + cost[r][cols[k]], 0);

describe('linearSumAssignment (scipy.optimize.linear_sum_assignment)', () => {
  it('solves the scipy docs example', () => {
    // scipy docs: cost [[4,1,3],[2,0,5],[3,2,2]] → row_ind [0,1,2], col_ind [1,0,2], total 1 + 2 + 2 = 5
    const cost = [[4, 1, 3], [2, 0, 5], [3, 2, 2]];
    const r = linearSumAssignment(cost);
    expect(r).toEqual({ rows: [0, 1, 2], cols: [1, 0, 2] });
    expect(total(cost, r)).toBe(5);
  });
  it('matches brute force on random rectangular matrices, minimising and maximising', () => {
    const rand = seededRandom(2024);
    for (let trial = 0; trial < 150; trial++) {
      const n = 1 + Math.floor(rand() * 5);
      const m = 1 + Math.floor(rand() * 5);
      const cost = Array.from({ length: n }, () => Array.from({ length: m }, () => Math.round(rand() * 100) / 10));
      for (const maximize of [false, true]) {
        const r = linearSumAssignment(cost, { maximize });
        expect(r.rows.length).toBe(Math.min(n, m));
        expect(r.rows).toEqual([...r.rows].sort((a, b) => a - b));
        expect(new Set(r.rows).size).toBe(r.rows.length);
        expect(new Set(r.cols).size).toBe(r.cols.length);
        expect(total(cost, r)).toBeCloseTo(bruteForce(cost, maximize), 9);
      }
    }
  });
  it('handles n > m: every column assigned, rows ascending', () => {
    // columns: col0 cheapest at row 2 (1), col1 cheapest at row 0 (1)
    expect(linearSumAssignment([[5, 1], [9, 9], [1, 5]])).toEqual({ rows: [0, 2], cols: [1, 0] });
  });
  it('treats Infinity as forbidden and accepts tensors', () =>
    noLeak(() => {
      expect(linearSumAssignment([[Infinity, 1], [2, Infinity]])).toEqual({ rows: [0, 1], cols: [1, 0] });
      const t = tf.tensor2d([[0.1, 0.9], [0.8, 0.3]]);
      expect(linearSumAssignment(t, { maximize: true })).toEqual({ rows: [0, 1], cols: [1, 0] });
      t.dispose();
      expect(linearSumAssignment([])).toEqual({ rows: [], cols: [] });
      expect(linearSumAssignment([[], []])).toEqual({ rows: [], cols: [] });
    }));
  it('throws on an infeasible matrix, NaN or -Infinity', () => {
    expect(() => linearSumAssignment([[Infinity, Infinity], [1, 2]])).toThrow(/linearSumAssignment: 'cost' must be a feasible matrix/);
    expect(() => linearSumAssignment([[1, NaN]])).toThrow(/linearSumAssignment: 'cost' must be numbers or Infinity \(forbidden\), got NaN at \[0, 1\]/);
    expect(() => linearSumAssignment([[1, -Infinity]])).toThrow(/linearSumAssignment: 'cost' must be numbers or Infinity/);
    expect(() => linearSumAssignment([[1, Infinity]], { maximize: true })).toThrow(/when maximising, got Infinity at \[0, 1\]/);
    expect(() => linearSumAssignment([[1, 2], [3]])).toThrow(/linearSumAssignment: 'cost' must be rows of equal length \(2\)/);
  });
});
