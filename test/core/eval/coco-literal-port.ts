/**
 * A deliberately slow, line-by-line port of pycocotools' cocoeval.py
 * (COCOeval.evaluate / evaluateImg / accumulate / summarize, iouType 'bbox',
 * default Params) plus the parts of coco.py's loadRes it relies on. It keeps
 * pycocotools' data layout (evalImgs list indexed [k][a][i], dicts keyed by
 * (imgId, catId)) so the fast evaluator can be checked against it.
 */

interface Ann {
  id: number;
  image_id: number;
  category_id: number;
  bbox: number[];
  area: number;
  iscrowd: number;
  score: number;
  ignore?: number;
  _ignore?: number;
}

interface EvalImg {
  dtIds: number[];
  gtIds: number[];
  dtMatches: number[][];
  gtMatches: number[][];
  dtScores: number[];
  gtIgnore: number[];
  dtIgnore: boolean[][];
}

function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  const y = Array.from({ length: num }, (_, i) => i * step + start);
  y[num - 1] = stop;
  return y;
}

/** np.argsort(keys, kind='mergesort'): stable ascending. */
function argsortStable(keys: number[]): number[] {
  return keys.map((k, i) => [k, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((p) => p[1]);
}

/** maskUtils.iou(d, g, iscrowd) for boxes: [D][G]. */
function bboxIou(d: number[][], g: number[][], iscrowd: number[]): number[][] {
  return d.map((D) =>
    g.map((G, j) => {
      const w = Math.min(D[2] + D[0], G[2] + G[0]) - Math.max(D[0], G[0]);
      if (w <= 0) return 0;
      const h = Math.min(D[3] + D[1], G[3] + G[1]) - Math.max(D[1], G[1]);
      if (h <= 0) return 0;
      const i = w * h;
      const da = D[2] * D[3];
      const ga = G[2] * G[3];
      const u = iscrowd[j] ? da : da + ga - i;
      return i / u;
    }),
  );
}

export interface LiteralResult {
  stats: number[];
  precision: number[][][][][];
  recall: number[][][][];
}

export function literalCocoEval(
  gtJson: { images: { id: number }[]; annotations: any[]; categories: { id: number }[] },
  dtJson: { image_id: number; category_id: number; bbox: number[]; score: number }[],
): LiteralResult {
  const iouThrs = linspace(0.5, 0.95, 10);
  const recThrs = linspace(0, 1, 101);
  const maxDets = [1, 10, 100];
  const areaRng = [[0, 1e5 ** 2], [0, 32 ** 2], [32 ** 2, 96 ** 2], [96 ** 2, 1e5 ** 2]];
  const imgIds = [...new Set(gtJson.images.map((i) => i.id))].sort((a, b) => a - b);
  const catIds = [...new Set(gtJson.categories.map((c) => c.id))].sort((a, b) => a - b);

  // loadRes: ids 1.., area w*h, iscrowd 0.
  const dts: Ann[] = dtJson.map((d, i) => ({ ...d, id: i + 1, area: d.bbox[2] * d.bbox[3], iscrowd: 0 }));
  const gtsAll: Ann[] = gtJson.annotations.map((a, i) => ({ ...a, id: a.id ?? i + 1, score: 0 }));

  // _prepare (getAnnIds walks images in imgIds order, then filters categories).
  const key = (i: number, c: number) => `${i},${c}`;
  const _gts = new Map<string, Ann[]>();
  const _dts = new Map<string, Ann[]>();
  const push = (m: Map<string, Ann[]>, k: string, a: Ann) => {
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(a);
  };
  for (const imgId of imgIds) {
    for (const gt of gtsAll) {
      if (gt.image_id !== imgId || !catIds.includes(gt.category_id)) continue;
      gt.ignore = gt.iscrowd ? 1 : 0;
      push(_gts, key(gt.image_id, gt.category_id), gt);
    }
    for (const dt of dts) {
      if (dt.image_id !== imgId || !catIds.includes(dt.category_id)) continue;
      push(_dts, key(dt.image_id, dt.category_id), dt);
    }
  }

  const computeIoU = (imgId: number, catId: number): number[][] => {
    const gt = _gts.get(key(imgId, catId)) ?? [];
    let dt = _dts.get(key(imgId, catId)) ?? [];
    if (gt.length === 0 && dt.length === 0) return [];
    const inds = argsortStable(dt.map((d) => -d.score));
    dt = inds.map((i) => dt[i]);
    if (dt.length > maxDets[maxDets.length - 1]) dt = dt.slice(0, maxDets[maxDets.length - 1]);
    return bboxIou(dt.map((d) => d.bbox), gt.map((g) => g.bbox), gt.map((o) => (o.iscrowd ? 1 : 0)));
  };
  const ious = new Map<string, number[][]>();
  for (const imgId of imgIds) for (const catId of catIds) ious.set(key(imgId, catId), computeIoU(imgId, catId));

  const evaluateImg = (imgId: number, catId: number, aRng: number[], maxDet: number): EvalImg | null => {
    let gt = _gts.get(key(imgId, catId)) ?? [];
    let dt = _dts.get(key(imgId, catId)) ?? [];
    if (gt.length === 0 && dt.length === 0) return null;
    for (const g of gt) g._ignore = g.ignore || g.area < aRng[0] || g.area > aRng[1] ? 1 : 0;
    const gtind = argsortStable(gt.map((g) => g._ignore!));
    gt = gtind.map((i) => gt[i]);
    const dtind = argsortStable(dt.map((d) => -d.score));
    dt = dtind.slice(0, maxDet).map((i) => dt[i]);
    const iscrowd = gt.map((o) => (o.iscrowd ? 1 : 0));
    const full = ious.get(key(imgId, catId))!;
    const iousR = full.length > 0 ? full.map((row) => gtind.map((j) => row[j])) : full;
    const Tn = iouThrs.length;
    const G = gt.length;
    const D = dt.length;
    const gtm = Array.from({ length: Tn }, () => new Array(G).fill(0));
    const dtm = Array.from({ length: Tn }, () => new Array(D).fill(0));
    const gtIg = gt.map((g) => g._ignore!);
    const dtIg = Array.from({ length: Tn }, () => new Array(D).fill(0));
    if (iousR.length !== 0) {
      iouThrs.forEach((t, tind) => {
        dt.forEach((d, dind) => {
          let iou = Math.min(t, 1 - 1e-10);
          let m = -1;
          for (let gind = 0; gind < G; gind++) {
            if (gtm[tind][gind] > 0 && !iscrowd[gind]) continue;
            if (m > -1 && gtIg[m] === 0 && gtIg[gind] === 1) break;
            if (iousR[dind][gind] < iou) continue;
            iou = iousR[dind][gind];
            m = gind;
          }
          if (m === -1) return;
          dtIg[tind][dind] = gtIg[m];
          dtm[tind][dind] = gt[m].id;
          gtm[tind][m] = d.id;
        });
      });
    }
    const a = dt.map((d) => d.area < aRng[0] || d.area > aRng[1]);
    const dtIgnore = dtIg.map((row, tind) => row.map((v, dind) => Boolean(v) || (dtm[tind][dind] === 0 && a[dind])));
    return {
      dtIds: dt.map((d) => d.id),
      gtIds: gt.map((g) => g.id),
      dtMatches: dtm,
      gtMatches: gtm,
      dtScores: dt.map((d) => d.score),
      gtIgnore: gtIg,
      dtIgnore,
    };
  };

  const evalImgs: (EvalImg | null)[] = [];
  for (const catId of catIds) for (const aRng of areaRng) for (const imgId of imgIds) evalImgs.push(evaluateImg(imgId, catId, aRng, maxDets[maxDets.length - 1]));

  // accumulate
  const Tn = iouThrs.length;
  const Rn = recThrs.length;
  const Kn = catIds.length;
  const An = areaRng.length;
  const Mn = maxDets.length;
  const precision = Array.from({ length: Tn }, () => Array.from({ length: Rn }, () => Array.from({ length: Kn }, () => Array.from({ length: An }, () => new Array(Mn).fill(-1)))));
  const recall = Array.from({ length: Tn }, () => Array.from({ length: Kn }, () => Array.from({ length: An }, () => new Array(Mn).fill(-1))));
  const I0 = imgIds.length;
  const A0 = areaRng.length;
  for (let k = 0; k < Kn; k++) {
    const Nk = k * A0 * I0;
    for (let a = 0; a < An; a++) {
      const Na = a * I0;
      maxDets.forEach((maxDet, m) => {
        const E = imgIds.map((_, i) => evalImgs[Nk + Na + i]).filter((e): e is EvalImg => e !== null);
        if (E.length === 0) return;
        const dtScores = E.flatMap((e) => e.dtScores.slice(0, maxDet));
        const inds = argsortStable(dtScores.map((s) => -s));
        const dtm = Array.from({ length: Tn }, (_, t) => {
          const row = E.flatMap((e) => e.dtMatches[t].slice(0, maxDet));
          return inds.map((i) => row[i]);
        });
        const dtIg = Array.from({ length: Tn }, (_, t) => {
          const row = E.flatMap((e) => e.dtIgnore[t].slice(0, maxDet));
          return inds.map((i) => row[i]);
        });
        const gtIg = E.flatMap((e) => e.gtIgnore);
        const npig = gtIg.filter((g) => g === 0).length;
        if (npig === 0) return;
        for (let t = 0; t < Tn; t++) {
          const tps = dtm[t].map((v, i) => v !== 0 && !dtIg[t][i]);
          const fps = dtm[t].map((v, i) => v === 0 && !dtIg[t][i]);
          let c = 0;
          const tp = tps.map((x) => (c += x ? 1 : 0));
          c = 0;
          const fp = fps.map((x) => (c += x ? 1 : 0));
          const nd = tp.length;
          const rc = tp.map((x) => x / npig);
          const pr = tp.map((x, i) => x / (fp[i] + x + 2.220446049250313e-16));
          const q = new Array(Rn).fill(0);
          recall[t][k][a][m] = nd ? rc[nd - 1] : 0;
          for (let i = nd - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
          // np.searchsorted(rc, recThrs, side='left')
          const ri = recThrs.map((r) => {
            let lo = 0;
            let hi = rc.length;
            while (lo < hi) {
              const mid = (lo + hi) >> 1;
              if (rc[mid] < r) lo = mid + 1;
              else hi = mid;
            }
            return lo;
          });
          for (let r = 0; r < ri.length; r++) {
            if (ri[r] >= nd) break; // the IndexError pycocotools swallows
            q[r] = pr[ri[r]];
          }
          for (let r = 0; r < Rn; r++) precision[t][r][k][a][m] = q[r];
        }
      });
    }
  }

  // summarize
  const s = (ap: boolean, iouThr: number | null, aind: number, mind: number) => {
    const vals: number[] = [];
    const ts = iouThr === null ? iouThrs.map((_, t) => t) : [iouThrs.indexOf(iouThr)];
    if (ap) {
      for (const t of ts) for (let r = 0; r < Rn; r++) for (let k = 0; k < Kn; k++) vals.push(precision[t][r][k][aind][mind]);
    } else {
      for (const t of ts) for (let k = 0; k < Kn; k++) vals.push(recall[t][k][aind][mind]);
    }
    const valid = vals.filter((v) => v > -1);
    return valid.length === 0 ? -1 : valid.reduce((x, y) => x + y, 0) / valid.length;
  };
  const stats = [
    s(true, null, 0, 2), s(true, 0.5, 0, 2), s(true, 0.75, 0, 2),
    s(true, null, 1, 2), s(true, null, 2, 2), s(true, null, 3, 2),
    s(false, null, 0, 0), s(false, null, 0, 1), s(false, null, 0, 2),
    s(false, null, 1, 2), s(false, null, 2, 2), s(false, null, 3, 2),
  ];
  return { stats, precision, recall };
}
