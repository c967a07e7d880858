# Reference for test/core/eval/voc-eval.test.ts: the PASCAL VOC devkit's VOCevaldet.m matching
# loop ported line for line to Python (+1 pixel widths, only boxes with iw > 0 and ih > 0 scored,
# ovmax >= minoverlap, MATLAB's stable sort), with py-faster-rcnn's voc_ap and its eps-guarded
# precision. Crowd ground truth plays "difficult". COCO boxes [x, y, w, h] (w = pixel count) become
# the devkit's 1-based inclusive corners (x + 1, y + 1, x + w, y + h), as detectron2's
# PascalVOCDetectionEvaluator writes them (xmin += 1), so the +1 gives back w.
#
# Regenerate the pinned APs (numpy 2.x):
#   npx tsx -e "import {randomWorkload as r} from './test/core/eval/random-workload'; \
#     console.log(JSON.stringify(r({images: 40, categories: 3, gtPerImage: 5, detsPerImage: 30, seed: 11})))" > /tmp/w.json
#   python3 test/core/eval/voc-devkit-reference.py /tmp/w.json 0.85 allpoint
import json, sys
import numpy as np

def voc_ap(rec, prec, use_07_metric=False):
    if use_07_metric:
        ap = 0.
        for t in np.arange(0., 1.1, 0.1):
            if np.sum(rec >= t) == 0: p = 0
            else: p = np.max(prec[rec >= t])
            ap = ap + p / 11.
    else:
        mrec = np.concatenate(([0.], rec, [1.]))
        mpre = np.concatenate(([0.], prec, [0.]))
        for i in range(mpre.size - 1, 0, -1):
            mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
        i = np.where(mrec[1:] != mrec[:-1])[0]
        ap = np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1])
    return ap

def evaluate(w, cat, minoverlap, use07):
    gt = {}
    npos = 0
    for a in w['gt']['annotations']:
        if a['category_id'] != cat: continue
        x, y, bw, bh = a['bbox']
        gt.setdefault(a['image_id'], []).append([[x + 1, y + 1, x + bw, y + bh], bool(a['iscrowd']), False])
        if not a['iscrowd']: npos += 1
    dets = [d for d in w['dets'] if d['category_id'] == cat]
    conf = np.array([d['score'] for d in dets])
    si = np.argsort(-conf, kind='stable')
    nd = len(dets)
    tp = np.zeros(nd); fp = np.zeros(nd)
    for d in range(nd):
        det = dets[si[d]]
        x, y, bw, bh = det['bbox']
        bb = [x + 1, y + 1, x + bw, y + bh]
        ovmax = -np.inf; jmax = -1
        g = gt.get(det['image_id'], [])
        for j, (bbgt, diff, taken) in enumerate(g):
            bi = [max(bb[0], bbgt[0]), max(bb[1], bbgt[1]), min(bb[2], bbgt[2]), min(bb[3], bbgt[3])]
            iw = bi[2] - bi[0] + 1
            ih = bi[3] - bi[1] + 1
            if iw > 0 and ih > 0:
                ua = (bb[2] - bb[0] + 1) * (bb[3] - bb[1] + 1) + (bbgt[2] - bbgt[0] + 1) * (bbgt[3] - bbgt[1] + 1) - iw * ih
                ov = iw * ih / ua
                if ov > ovmax:
                    ovmax = ov; jmax = j
        if ovmax >= minoverlap:
            if not g[jmax][1]:
                if not g[jmax][2]:
                    tp[d] = 1; g[jmax][2] = True
                else:
                    fp[d] = 1
        else:
            fp[d] = 1
    fp = np.cumsum(fp); tp = np.cumsum(tp)
    rec = tp / float(npos)
    prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    return voc_ap(rec, prec, use07)


if __name__ == '__main__':
    w = json.load(open(sys.argv[1]))
    threshold, interpolation = float(sys.argv[2]), sys.argv[3]
    cats = sorted(c['id'] for c in w['gt']['categories'])
    print([float(evaluate(w, c, threshold, interpolation == '11point')) for c in cats])
