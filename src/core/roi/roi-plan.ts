/**
 * The sampling plan of a RoI op call in compressed-row form: output bin `o`
 * (RoI-major, then bin row, bin column) reads taps `starts[o] .. starts[o+1]`,
 * each a flat row `idx[t]` of the features seen as [B*H*W, C] and a weight
 * `w[t]`. Built once per call in JS from the RoI coordinates; the forward and
 * the backward kernels both walk it, so the bilinear weights are computed once.
 */
export interface RoiPlan {
  /** K * pooledH * pooledW. */
  nBins: number;
  starts: Int32Array;
  idx: Int32Array;
  w: Float32Array;
}

/** Appends taps bin by bin; arrays grow by doubling. */
export class PlanBuilder {
  private idx: Int32Array;
  private w: Float32Array;
  private n = 0;
  private readonly starts: Int32Array;
  private bin = 0;

  constructor(nBins: number, tapsGuess: number) {
    this.starts = new Int32Array(nBins + 1);
    const cap = Math.max(16, tapsGuess);
    this.idx = new Int32Array(cap);
    this.w = new Float32Array(cap);
  }

  push(row: number, weight: number): void {
    if (this.n === this.idx.length) {
      const idx = new Int32Array(this.n * 2);
      idx.set(this.idx);
      this.idx = idx;
      const w = new Float32Array(this.n * 2);
      w.set(this.w);
      this.w = w;
    }
    this.idx[this.n] = row;
    this.w[this.n++] = weight;
  }

  /** Closes the current bin. */
  endBin(): void {
    this.starts[++this.bin] = this.n;
  }

  finish(): RoiPlan {
    return { nBins: this.bin, starts: this.starts, idx: this.idx.subarray(0, this.n), w: this.w.subarray(0, this.n) };
  }
}

/**
 * One RoI's taps padded to a common count `T` per bin (unused taps have
 * weight 0): the layout the tensor-op path (gather + matMul) batches.
 */
export interface RoiTaps {
  T: number;
  idx: Int32Array;
  w: Float32Array;
}

/** The plan cut per RoI and padded, for the tensor-op path. */
export function paddedTaps(plan: RoiPlan, K: number, binsPerRoi: number): RoiTaps[] {
  const { starts, idx, w } = plan;
  const out: RoiTaps[] = [];
  for (let k = 0; k < K; k++) {
    let T = 1;
    for (let b = k * binsPerRoi; b < (k + 1) * binsPerRoi; b++) T = Math.max(T, starts[b + 1] - starts[b]);
    const pi = new Int32Array(binsPerRoi * T);
    const pw = new Float32Array(binsPerRoi * T);
    for (let j = 0; j < binsPerRoi; j++) {
      const b = k * binsPerRoi + j;
      pi.set(idx.subarray(starts[b], starts[b + 1]), j * T);
      pw.set(w.subarray(starts[b], starts[b + 1]), j * T);
    }
    out.push({ T, idx: pi, w: pw });
  }
  return out;
}
