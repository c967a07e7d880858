import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { swin } from '../../src/nn';

// Reference: torchvision/models/swin_transformer.py (shifted_window_attention,
// ShiftedWindowAttention.define_relative_coords, PatchMerging), V1.

describe('swin.windowPartition / windowReverse', () => {
  it('cuts a 4x4 map into four 2x2 windows, row-major, and puts them back', () => {
    const base = tf.memory().numTensors;
    const x = tf.tidy(() => tf.range(0, 16).reshape([1, 4, 4, 1]));
    const w = swin.windowPartition(x, 2);
    expect(w.shape).toEqual([4, 2, 2, 1]);
    // Map values are 4·row + col: window (0,0) holds rows 0-1 x cols 0-1, window 1 is to its right, ...
    const flat = tf.tidy(() => w.reshape([4, 4]));
    expect(flat.arraySync()).toEqual([
      [0, 1, 4, 5],
      [2, 3, 6, 7],
      [8, 9, 12, 13],
      [10, 11, 14, 15],
    ]);
    const back = swin.windowReverse(w, 2, 4);
    expect(back.arraySync()).toEqual(x.arraySync());
    tf.dispose([x, w, back, flat]);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('are inverses for a batch, several channels and a non-square window', () => {
    const base = tf.memory().numTensors;
    const x = tf.randomNormal([2, 4, 6, 3], 0, 1, 'float32', 3);
    const w = swin.windowPartition(x, [2, 3]);
    // 2 images x (4/2)(6/3) = 4 windows each
    expect(w.shape).toEqual([8, 2, 3, 3]);
    const back = swin.windowReverse(w, [2, 3], [4, 6]);
    expect(Array.from(back.dataSync())).toEqual(Array.from(x.dataSync()));
    // and the other way round: partition(reverse(w)) = w
    const again = swin.windowPartition(back, [2, 3]);
    expect(Array.from(again.dataSync())).toEqual(Array.from(w.dataSync()));
    tf.dispose([x, w, back, again]);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('refuses a window that does not divide the map and says what torchvision pads', () => {
    const x = tf.zeros([1, 5, 5, 1]);
    expect(() => swin.windowPartition(x, 2)).toThrow(/'windowSize'.*pads the map with zeros on the right and bottom to 6×6/);
    expect(() => swin.windowPartition(x, 0)).toThrow(/'windowSize' must be a positive integer/);
    expect(() => swin.windowReverse(tf.zeros([3, 2, 2, 1]), 2, 4)).toThrow(/'windows'/);
    x.dispose();
  });
});

describe('swin.relativePositionIndex', () => {
  it('matches the hand-worked 2x2 window', () => {
    // Tokens p0=(0,0) p1=(0,1) p2=(1,0) p3=(1,1); index = (dy + 1)·3 + (dx + 1), dy = y_p - y_q.
    // Row p0: q0 (0,0) → 4, q1 dx=-1 → 3, q2 dy=-1 → 1, q3 dy=dx=-1 → 0.
    const idx = swin.relativePositionIndex(2);
    expect(idx.dtype).toBe('int32');
    expect(idx.arraySync()).toEqual([
      [4, 3, 1, 0],
      [5, 4, 2, 1],
      [7, 6, 4, 3],
      [8, 7, 5, 4],
    ]);
    idx.dispose();
  });

  it('matches a 1x2 window (table of 1·3 rows) and uses every row of a 7x7 table', () => {
    // (0,0),(0,1): index = (0 + 0)·3 + (dx + 1): [[1, 0], [2, 1]]
    expect(Array.from(swin.relativePositionIndexValues([1, 2]))).toEqual([1, 0, 2, 1]);
    const v = swin.relativePositionIndexValues(7);
    expect(v.length).toBe(49 * 49);
    // every offset in [-6, 6]² occurs: 13² = 169 distinct rows, 0..168, the diagonal is the centre 84
    expect(new Set(v).size).toBe(169);
    expect(Math.max(...v)).toBe(168);
    expect(v[0]).toBe(84);
  });
});

describe('swin.shiftedWindowMask', () => {
  it('matches the hand-worked 4x4 map, window 2, shift 1', () => {
    // Per axis torchvision's slices (0,-2), (-2,-1), (-1,end) give bands 0,0,1,2, so the labels are
    //   0 0 1 2 / 0 0 1 2 / 3 3 4 5 / 6 6 7 8.
    const { labels } = swin.shiftedWindowRegionValues([4, 4], 2, 1);
    expect(Array.from(labels)).toEqual([0, 0, 1, 2, 0, 0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8]);
    const m = swin.shiftedWindowMask([4, 4], 2, 1);
    expect(m.shape).toEqual([4, 4, 4]);
    const X = -100;
    expect(m.arraySync()).toEqual([
      // window 0 (top left): one region, nothing masked
      [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
      // window 1 (top right): labels 1 2 / 1 2: columns differ
      [[0, X, 0, X], [X, 0, X, 0], [0, X, 0, X], [X, 0, X, 0]],
      // window 2 (bottom left): labels 3 3 / 6 6: rows differ
      [[0, 0, X, X], [0, 0, X, X], [X, X, 0, 0], [X, X, 0, 0]],
      // window 3 (bottom right): labels 4 5 / 7 8: four regions, only self
      [[0, X, X, X], [X, 0, X, X], [X, X, 0, X], [X, X, X, 0]],
    ]);
    m.dispose();
  });

  it('is zero for no shift, pads the map like the layer, and refuses shift >= window', () => {
    const z = swin.shiftedWindowMask([4, 4], 2, 0);
    expect(z.max().dataSync()[0]).toBe(0);
    expect(z.min().dataSync()[0]).toBe(0);
    z.dispose();
    // 5x5 pads to 6x6 with window 3: 4 windows of 9 tokens
    const p = swin.shiftedWindowMask([5, 5], 3, 1);
    expect(p.shape).toEqual([4, 9, 9]);
    p.dispose();
    expect(() => swin.shiftedWindowMask([4, 4], 2, 2)).toThrow(/'shiftSize' must be smaller than the window size \(2/);
    expect(() => swin.shiftedWindowMask([4, 4], 2, -1)).toThrow(/'shiftSize'/);
    expect(() => new swin.WindowAttention({ numHeads: 1, windowSize: 4, shiftSize: 4 })).toThrow(/'shiftSize'/);
  });
});

/**
 * The semantics of a shifted window, written without roll or mask: the paper's
 * displaced partition (windows start at -shift, partial windows at the borders),
 * i.e. along an axis token y lies in window floor((y - s) / M) of the padded map.
 * Global attention over all tokens of the padded map, restricted to pairs in the
 * same displaced window; bias from the table row of their offset.
 */
function naiveShiftedAttention(
  x: number[][][], // [H][W][C]
  weights: { qkvK: number[][]; qkvB: number[]; projK: number[][]; projB: number[]; table: number[][] },
  heads: number,
  ws: number,
  shift: number,
): number[][][] {
  const h = x.length, w = x[0].length, c = x[0][0].length, hd = c / heads;
  const ph = Math.ceil(h / ws) * ws, pw = Math.ceil(w / ws) * ws;
  const tokens: { y: number; x: number; v: number[] }[] = [];
  for (let y = 0; y < ph; y++) for (let xx = 0; xx < pw; xx++) tokens.push({ y, x: xx, v: y < h && xx < w ? x[y][xx] : new Array(c).fill(0) });
  const lin = (v: number[], k: number[][], b: number[]) => k[0].map((_, j) => b[j] + v.reduce((s, vi, i) => s + vi * k[i][j], 0));
  const qkv = tokens.map((t) => lin(t.v, weights.qkvK, weights.qkvB));
  const win = (y: number) => Math.floor((y - shift) / ws);
  const out: number[][][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const p = tokens[i];
    const mixed = new Array(c).fill(0);
    for (let hh = 0; hh < heads; hh++) {
      const scores: { j: number; s: number }[] = [];
      for (let j = 0; j < tokens.length; j++) {
        const q = tokens[j];
        if (win(p.y) !== win(q.y) || win(p.x) !== win(q.x)) continue;
        let s = 0;
        for (let d = 0; d < hd; d++) s += qkv[i][hh * hd + d] * qkv[j][c + hh * hd + d];
        const row = (p.y - q.y + ws - 1) * (2 * ws - 1) + (p.x - q.x + ws - 1);
        scores.push({ j, s: s / Math.sqrt(hd) + weights.table[row][hh] });
      }
      const mx = Math.max(...scores.map((e) => e.s));
      const z = scores.reduce((s, e) => s + Math.exp(e.s - mx), 0);
      for (const e of scores) for (let d = 0; d < hd; d++) mixed[hh * hd + d] += (Math.exp(e.s - mx) / z) * qkv[e.j][2 * c + hh * hd + d];
    }
    const y = lin(mixed, weights.projK, weights.projB);
    if (p.y < h && p.x < w) (out[p.y] ??= [])[p.x] = y;
  }
  return out;
}

describe('swin.WindowAttention', () => {
  const cases = [
    { label: 'a 6x6 map, window 3, shift 1 (no padding)', h: 6, w: 6, ws: 3, shift: 1, heads: 2 },
    { label: 'a 6x6 map, window 2, shift 0 (plain windows)', h: 6, w: 6, ws: 2, shift: 0, heads: 1 },
    { label: 'a 5x7 map, window 3, shift 1 (padded to 6x9 first)', h: 5, w: 7, ws: 3, shift: 1, heads: 2 },
    { label: 'a 3x3 map, window 4, shift 2 (one padded window: torchvision drops the shift)', h: 3, w: 3, ws: 4, shift: 2, heads: 2 },
  ];
  for (const k of cases) {
    it(`equals naive global attention restricted to the shifted windows: ${k.label}`, () => {
      const base = tf.memory().numTensors;
      const c = 4;
      const layer = new swin.WindowAttention({ numHeads: k.heads, windowSize: k.ws, shiftSize: k.shift, seed: 3 });
      const x = tf.randomNormal([1, k.h, k.w, c], 0, 1, 'float32', 11);
      const y = layer.apply(x) as tf.Tensor;
      // Give the biases and the table real values so every term counts.
      const [qkvK, qkvB, projK, projB, table] = layer.getWeights();
      const rnd = (t: tf.Tensor, seed: number) => tf.randomNormal(t.shape, 0, 0.5, 'float32', seed);
      const fresh = [rnd(qkvK, 1), rnd(qkvB, 2), rnd(projK, 3), rnd(projB, 4), rnd(table, 5)];
      layer.setWeights(fresh);
      y.dispose();
      const out = layer.apply(x) as tf.Tensor;
      expect(out.shape).toEqual([1, k.h, k.w, c]);
      const got = out.arraySync() as number[][][][];
      const want = naiveShiftedAttention((x.arraySync() as number[][][][])[0], {
        qkvK: fresh[0].arraySync() as number[][],
        qkvB: fresh[1].arraySync() as number[],
        projK: fresh[2].arraySync() as number[][],
        projB: fresh[3].arraySync() as number[],
        table: fresh[4].arraySync() as number[][],
      }, k.heads, k.ws, k.ws >= Math.ceil(k.h / k.ws) * k.ws ? 0 : k.shift);
      for (let i = 0; i < k.h; i++) for (let j = 0; j < k.w; j++) for (let d = 0; d < c; d++) expect(got[0][i][j][d]).toBeCloseTo(want[i][j][d], 4);
      tf.dispose([x, out, ...fresh]);
      layer.dispose();
      expect(tf.memory().numTensors).toBe(base);
    });
  }

  it('the shift changes the output (the mask and roll are not a no-op)', () => {
    const base = tf.memory().numTensors;
    const a = new swin.WindowAttention({ numHeads: 1, windowSize: 3, shiftSize: 0, seed: 2 });
    const b = new swin.WindowAttention({ numHeads: 1, windowSize: 3, shiftSize: 1, seed: 2 });
    const x = tf.randomNormal([1, 6, 6, 2], 0, 1, 'float32', 5);
    const ya = a.apply(x) as tf.Tensor;
    (b.apply(x) as tf.Tensor).dispose();
    b.setWeights(a.getWeights());
    const yb = b.apply(x) as tf.Tensor;
    const diff = tf.tidy(() => tf.abs(ya.sub(yb)).max());
    expect(diff.dataSync()[0]).toBeGreaterThan(1e-4);
    tf.dispose([x, ya, yb, diff]);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('counts its MACs: qkv + QKᵀ + AV + proj on the padded map', () => {
    const layer = new swin.WindowAttention({ numHeads: 3, windowSize: 7, shiftSize: 3 });
    // Swin-T stage 1: 56x56 tokens, C = 96, M = 7: L·C·3C + 2·L·M²·C + L·C² = 3136·(4·96² + 2·49·96)
    expect(layer.countMacs([null, 56, 56, 96])).toBe(3136 * (4 * 96 * 96 + 2 * 49 * 96));
    // a 5x5 map with window 7 is padded to 7x7: L = 49
    expect(layer.countMacs([null, 5, 5, 6])).toBe(49 * (4 * 36 + 2 * 49 * 6));
  });
});

describe('swin.PatchMergingGather', () => {
  it('stacks each 2x2 neighbourhood as torchvision x0 (0,0), x1 (1,0), x2 (0,1), x3 (1,1), padding odd sizes', () => {
    const base = tf.memory().numTensors;
    const layer = new swin.PatchMergingGather({});
    // 3x3 map of 4·row + col ... values 10·row + col, one channel; padded to 4x4 with zeros.
    const x = tf.tensor4d([0, 1, 2, 10, 11, 12, 20, 21, 22], [1, 3, 3, 1]);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 2, 2, 4]);
    expect(y.arraySync()).toEqual([[
      [[0, 10, 1, 11], [2, 12, 0, 0]],
      [[20, 0, 21, 0], [22, 0, 0, 0]],
    ]]);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(base);
  });
});
