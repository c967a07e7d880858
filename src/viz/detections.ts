/**
 * A detector's boxes drawn over the photo they were found in, as SVG: the
 * photo is an `<image>` and the boxes and their "label score" tags are drawn
 * in the photo's own pixels (the viewBox), so the picture scales to any width.
 * The markup is built as a string (pure, unit-tested); `detectionsSvg` turns
 * it into an element for a cell.
 */

/** What is drawn for one detection: the shape `detector.detect` returns. */
export interface DetectionMark {
  /** `[x1, y1, x2, y2]` in the photo's pixels. */
  box: ArrayLike<number>;
  score: number;
  classId: number;
  label: string;
}

export interface DetectionsSvgOptions {
  /** The photo's size in pixels: the coordinate space of the boxes. */
  width: number;
  height: number;
  /** URL of the photo (an `<img>`'s `src`, an object URL, a data URL); none draws a grey background. */
  href?: string;
  detections: readonly DetectionMark[];
  /** Width the SVG is shown at, in screen pixels (default: the photo's width, at most 640). Labels stay this readable. */
  displayWidth?: number;
  /** Label font size in screen pixels (default 12). */
  fontSize?: number;
  /** Accessible description (default: "N detections"). */
  title?: string;
}

/** Ten colours readable on photos (Tableau 10), one per COCO class id modulo 10. */
export const DETECTION_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/**
 * The colour of a class: the same class has the same colour on every picture.
 *
 * @example
 * classColor(2); // '#e15759' (car)
 */
export function classColor(classId: number): string {
  const i = Number.isInteger(classId) ? ((classId % DETECTION_COLORS.length) + DETECTION_COLORS.length) % DETECTION_COLORS.length : 0;
  return DETECTION_COLORS[i];
}

/**
 * The tag drawn on a box: its label and its score with two decimals.
 *
 * @example
 * detectionLabel({ label: 'car', score: 0.8765 }); // 'car 0.88'
 */
export function detectionLabel(d: { label: string; score: number }): string {
  return `${d.label} ${d.score.toFixed(2)}`;
}

/** Escapes text for XML content and attribute values. */
export function escapeSvgText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fmt = (x: number) => String(Math.round(x * 100) / 100);

/**
 * Where a box's tag goes, in photo pixels: above the box when there is room
 * (`fontSize` photo pixels), otherwise just inside its top edge. `x`, `y` are
 * the text's baseline start.
 *
 * @example
 * labelPosition([10, 40, 50, 80], 12); // { x: 10, y: 37, inside: false } (baseline 3 px above the box)
 * labelPosition([10, 5, 50, 80], 12);  // { x: 10, y: 17, inside: true }
 */
export function labelPosition(box: ArrayLike<number>, fontSize: number): { x: number; y: number; inside: boolean } {
  const x = Math.min(box[0], box[2]);
  const top = Math.min(box[1], box[3]);
  const gap = fontSize / 4;
  if (top - gap >= fontSize) return { x, y: top - gap, inside: false };
  return { x, y: top + fontSize, inside: true };
}

/** Checks the options; throws an Error that names the bad one. */
function check(o: DetectionsSvgOptions): void {
  if (!(Number.isFinite(o.width) && o.width > 0 && Number.isFinite(o.height) && o.height > 0)) {
    throw new Error(`detectionsSvg: the photo must have a positive size, got ${o.width} x ${o.height}.`);
  }
  if (!Array.isArray(o.detections)) throw new Error(`detectionsSvg: 'detections' must be an array (what detector.detect returns), got ${typeof o.detections}.`);
  o.detections.forEach((d, i) => {
    const b = d?.box;
    if (!b || b.length !== 4 || ![0, 1, 2, 3].every((k) => Number.isFinite(b[k]))) {
      throw new Error(`detectionsSvg: 'detections[${i}].box' must be four finite numbers [x1, y1, x2, y2], got ${JSON.stringify(b ? Array.from(b) : b)}.`);
    }
  });
  if (o.displayWidth !== undefined && !(o.displayWidth > 0)) throw new Error(`detectionsSvg: 'displayWidth' must be positive, got ${o.displayWidth}.`);
}

/**
 * The SVG document as a string. Boxes are drawn lowest score first, so the
 * best box of a cluster is on top.
 *
 * @example
 * detectionsSvgMarkup({ width: 704, height: 576, href: img.src, detections: found, displayWidth: 640 });
 */
export function detectionsSvgMarkup(options: DetectionsSvgOptions): string {
  check(options);
  const { width, height, href, detections } = options;
  const displayWidth = options.displayWidth ?? Math.min(width, 640);
  const k = width / displayWidth; // photo pixels per screen pixel
  const font = (options.fontSize ?? 12) * k;
  const stroke = 2 * k;
  const title = options.title ?? `${detections.length} detection${detections.length === 1 ? '' : 's'}`;
  const order = detections.map((_, i) => i).sort((a, b) => detections[a].score - detections[b].score);
  const marks = order
    .map((i) => {
      const d = detections[i];
      const b = d.box;
      const x = Math.min(b[0], b[2]);
      const y = Math.min(b[1], b[3]);
      const w = Math.abs(b[2] - b[0]);
      const h = Math.abs(b[3] - b[1]);
      const color = classColor(d.classId);
      const text = escapeSvgText(detectionLabel(d));
      const p = labelPosition(b, font);
      // a tag in the class colour behind white text: readable on any photo (width estimated at 0.6 em a character)
      const tagW = 0.6 * font * detectionLabel(d).length + font / 2;
      return (
        `<g class="vn-detection" data-class="${d.classId}" data-score="${fmt(d.score)}">` +
        `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(w)}" height="${fmt(h)}" fill="none" stroke="${color}" stroke-width="${fmt(stroke)}"/>` +
        `<rect x="${fmt(p.x)}" y="${fmt(p.y - font)}" width="${fmt(tagW)}" height="${fmt(font * 1.25)}" fill="${color}" fill-opacity="0.85"/>` +
        `<text x="${fmt(p.x + font / 4)}" y="${fmt(p.y)}" font-size="${fmt(font)}" font-family="sans-serif" fill="white">${text}</text></g>`
      );
    })
    .join('');
  const bg = href
    ? `<image href="${escapeSvgText(href)}" x="0" y="0" width="${fmt(width)}" height="${fmt(height)}" preserveAspectRatio="none"/>`
    : `<rect width="${fmt(width)}" height="${fmt(height)}" fill="#888"/>`;
  const H = (displayWidth * height) / width;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${fmt(displayWidth)}" height="${fmt(H)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}"` +
    ` style="max-width: 100%; height: auto; display: block"><title>${escapeSvgText(title)}</title>${bg}${marks}</svg>`
  );
}

/** The SVG as an element to return from a cell (browser only). */
export function detectionsSvg(options: DetectionsSvgOptions): SVGSVGElement {
  const template = document.createElement('template');
  template.innerHTML = detectionsSvgMarkup(options);
  return template.content.firstElementChild as SVGSVGElement;
}
