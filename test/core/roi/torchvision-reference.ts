/**
 * Plain-loop ports of torchvision's CPU forward kernels (roi_align_kernel.cpp,
 * roi_pool_kernel.cpp), written sample by sample on NHWC arrays in float32
 * (Math.fround), to check the gather-based ops against. Slow on purpose.
 */
const f = Math.fround;

export function refRoiAlign(
  data: Float32Array, [B, H, W, C]: number[], rois: number[][],
  ph: number, pw: number, scale: number, ratio: number, aligned: boolean,
): Float32Array {
  void B;
  const out = new Float32Array(rois.length * ph * pw * C);
  const offset = aligned ? 0.5 : 0;
  const bilinear = (b: number, y: number, x: number, c: number): number => {
    if (y < -1 || y > H || x < -1 || x > W) return 0;
    if (y <= 0) y = 0;
    if (x <= 0) x = 0;
    let yl = Math.trunc(y);
    let xl = Math.trunc(x);
    let yh: number;
    let xh: number;
    if (yl >= H - 1) { yh = yl = H - 1; y = yl; } else yh = yl + 1;
    if (xl >= W - 1) { xh = xl = W - 1; x = xl; } else xh = xl + 1;
    const ly = f(y - yl);
    const lx = f(x - xl);
    const hy = f(1 - ly);
    const hx = f(1 - lx);
    const v = (yy: number, xx: number) => data[((b * H + yy) * W + xx) * C + c];
    return f(f(f(f(hy * hx) * v(yl, xl)) + f(f(hy * lx) * v(yl, xh))) + f(f(f(ly * hx) * v(yh, xl)) + f(f(ly * lx) * v(yh, xh))));
  };
  rois.forEach((r, k) => {
    const sx = f(f(r[1] * scale) - offset);
    const sy = f(f(r[2] * scale) - offset);
    let rw = f(f(f(r[3] * scale) - offset) - sx);
    let rh = f(f(f(r[4] * scale) - offset) - sy);
    if (!aligned) { rw = Math.max(rw, 1); rh = Math.max(rh, 1); }
    const bh = f(rh / ph);
    const bw = f(rw / pw);
    const gh = ratio > 0 ? ratio : Math.ceil(f(rh / ph));
    const gw = ratio > 0 ? ratio : Math.ceil(f(rw / pw));
    const count = Math.max(gh * gw, 1);
    for (let i = 0; i < ph; i++) for (let j = 0; j < pw; j++) for (let c = 0; c < C; c++) {
      let sum = 0;
      for (let iy = 0; iy < gh; iy++) {
        const y = f(f(sy + f(i * bh)) + f(f(f(iy + 0.5) * bh) / gh));
        for (let ix = 0; ix < gw; ix++) {
          const x = f(f(sx + f(j * bw)) + f(f(f(ix + 0.5) * bw) / gw));
          sum = f(sum + bilinear(r[0], y, x, c));
        }
      }
      out[((k * ph + i) * pw + j) * C + c] = f(sum / count);
    }
  });
  return out;
}

export function refRoiPool(
  data: Float32Array, [B, H, W, C]: number[], rois: number[][], ph: number, pw: number, scale: number,
): Float32Array {
  void B;
  const round = (x: number) => (x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5));
  const out = new Float32Array(rois.length * ph * pw * C);
  rois.forEach((r, k) => {
    const sw = round(f(r[1] * scale));
    const sh = round(f(r[2] * scale));
    const ew = round(f(r[3] * scale));
    const eh = round(f(r[4] * scale));
    const rw = Math.max(ew - sw + 1, 1);
    const rh = Math.max(eh - sh + 1, 1);
    const bh = f(rh / ph);
    const bw = f(rw / pw);
    for (let i = 0; i < ph; i++) for (let j = 0; j < pw; j++) {
      const hs = Math.min(Math.max(Math.floor(f(i * bh)) + sh, 0), H);
      const he = Math.min(Math.max(Math.ceil(f((i + 1) * bh)) + sh, 0), H);
      const ws = Math.min(Math.max(Math.floor(f(j * bw)) + sw, 0), W);
      const we = Math.min(Math.max(Math.ceil(f((j + 1) * bw)) + sw, 0), W);
      const empty = he <= hs || we <= ws;
      for (let c = 0; c < C; c++) {
        let m = empty ? 0 : -3.4028234663852886e38;
        for (let y = hs; y < he; y++) for (let x = ws; x < we; x++) m = Math.max(m, data[((r[0] * H + y) * W + x) * C + c]);
        out[((k * ph + i) * pw + j) * C + c] = m;
      }
    }
  });
  return out;
}
