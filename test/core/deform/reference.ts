/**
 * A direct, unoptimised transcription of torchvision.ops.deform_conv2d's
 * semantics (csrc/ops/cpu/deform_conv2d_kernel.cpp: bilinear_interpolate and
 * deformable_im2col, then the grouped product with the weight) on nested
 * arrays in NHWC, written loop by loop so it can be read against the paper's
 * formula: out[b,oy,ox,o] = bias[o] + Σ_{i,j,c} w[i,j,c,o] · m · bilinear(x[b,:,:,c], p).
 */
export interface RefOptions {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
  offsetGroups: number;
  mask?: number[][][][];
  bias?: number[];
}

/** torchvision's bilinear_interpolate: 0 outside (-1, size), corners outside the image read 0. */
export function bilinear(img: number[][][], c: number, h: number, w: number): number {
  const H = img.length;
  const W = H ? img[0].length : 0;
  if (h <= -1 || h >= H || w <= -1 || w >= W) return 0;
  const at = (y: number, x: number) => (y >= 0 && y < H && x >= 0 && x < W ? img[y][x][c] : 0);
  const h0 = Math.floor(h);
  const w0 = Math.floor(w);
  const lh = h - h0;
  const lw = w - w0;
  return (1 - lh) * (1 - lw) * at(h0, w0) + (1 - lh) * lw * at(h0, w0 + 1) + lh * (1 - lw) * at(h0 + 1, w0) + lh * lw * at(h0 + 1, w0 + 1);
}

export function refDeformConv2d(x: number[][][][], offset: number[][][][], weight: number[][][][], o: RefOptions): number[][][][] {
  const B = x.length;
  const H = x[0].length;
  const W = x[0][0].length;
  const C = x[0][0][0].length;
  const kh = weight.length;
  const kw = weight[0].length;
  const cout = weight[0][0][0].length;
  const [sy, sx] = o.stride;
  const [py, px] = o.padding;
  const [dy, dx] = o.dilation;
  const outH = Math.floor((H + 2 * py - (dy * (kh - 1) + 1)) / sy) + 1;
  const outW = Math.floor((W + 2 * px - (dx * (kw - 1) + 1)) / sx) + 1;
  const cinG = C / o.groups;
  const coutG = cout / o.groups;
  const cPerOffGroup = C / o.offsetGroups;
  const out: number[][][][] = [];
  for (let b = 0; b < B; b++) {
    const img = x[b];
    out.push([]);
    for (let oy = 0; oy < outH; oy++) {
      out[b].push([]);
      for (let ox = 0; ox < outW; ox++) {
        const row: number[] = [];
        for (let oc = 0; oc < cout; oc++) {
          const grp = Math.floor(oc / coutG);
          let s = o.bias ? o.bias[oc] : 0;
          for (let i = 0; i < kh; i++) {
            for (let j = 0; j < kw; j++) {
              for (let cl = 0; cl < cinG; cl++) {
                const c = grp * cinG + cl;
                const g = Math.floor(c / cPerOffGroup);
                const m = g * kh * kw + i * kw + j;
                const h = oy * sy - py + i * dy + offset[b][oy][ox][2 * m];
                const w = ox * sx - px + j * dx + offset[b][oy][ox][2 * m + 1];
                const mod = o.mask ? o.mask[b][oy][ox][m] : 1;
                s += weight[i][j][cl][oc] * mod * bilinear(img, c, h, w);
              }
            }
          }
          row.push(s);
        }
        out[b][oy].push(row);
      }
    }
  }
  return out;
}
