/**
 * IoU of two [x, y, w, h] boxes as pycocotools' `maskUtils.iou` computes it
 * for boxes (`bbIou` in maskApi.c): the areas are w*h of the boxes (not the
 * annotation's `area` field) and, against a crowd region, the denominator is
 * the detection's own area, so a detection inside a crowd scores 1.
 */
export function cocoBoxIou(
  dx: number, dy: number, dw: number, dh: number,
  gx: number, gy: number, gw: number, gh: number,
  crowd: boolean,
): number {
  const iw = Math.min(dx + dw, gx + gw) - Math.max(dx, gx);
  if (iw <= 0) return 0;
  const ih = Math.min(dy + dh, gy + gh) - Math.max(dy, gy);
  if (ih <= 0) return 0;
  const inter = iw * ih;
  const da = dw * dh;
  return inter / (crowd ? da : da + gw * gh - inter);
}
