/**
 * Boxes drawn as SVG over an image: the markup is built as a string (pure, so
 * it is unit-tested), and `boxesSvg` turns it into an element for a cell.
 * Boxes are `[x1, y1, x2, y2]` in image pixels (the core's convention); `scale`
 * maps image pixels to screen pixels.
 */

export type Box = [number, number, number, number];

/** One box to draw. */
export interface BoxMark {
  box: ArrayLike<number>;
  /** Stroke colour (default 'currentColor'). */
  color?: string;
  /** Fill colour (default none). */
  fill?: string;
  /** Fill opacity when `fill` is set (default 0.25). */
  fillOpacity?: number;
  /** Stroke width in screen pixels (default 2). */
  strokeWidth?: number;
  /** Dashed outline. */
  dashed?: boolean;
  /** Stroke opacity (default 1). */
  opacity?: number;
  /** Text drawn at the box's top-left corner. */
  label?: string;
  /** Extra attributes for the `<rect>` (e.g. `{ 'data-index': 3 }`). */
  attrs?: Record<string, string | number>;
}

export interface BoxesSvgOptions {
  /** Image width and height in pixels (the coordinate space of the boxes). */
  width: number;
  height: number;
  /** Screen pixels per image pixel (default 1). */
  scale?: number;
  /** An image URL (e.g. from `sceneImageUrl`) drawn under the boxes, pixelated. */
  image?: string;
  /** Background colour when there is no image (default none). */
  background?: string;
  marks: BoxMark[];
}

/** Escapes text for use in XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const num = (x: number) => String(Math.round(x * 100) / 100);

/** The `<rect>` (and `<text>`) elements of the marks, in screen pixels. Throws on a box that is not four finite numbers. */
export function boxesMarkup(marks: BoxMark[], scale = 1): string {
  return marks
    .map((m, i) => {
      const b = m.box;
      if (!b || b.length !== 4 || ![0, 1, 2, 3].every((k) => Number.isFinite(b[k]))) {
        throw new Error(`boxesMarkup: 'marks[${i}].box' must be four finite numbers [x1, y1, x2, y2], got ${JSON.stringify(Array.from(b ?? []))}.`);
      }
      const x = Math.min(b[0], b[2]) * scale;
      const y = Math.min(b[1], b[3]) * scale;
      const w = Math.abs(b[2] - b[0]) * scale;
      const h = Math.abs(b[3] - b[1]) * scale;
      const color = escapeXml(m.color ?? 'currentColor');
      const extra = Object.entries(m.attrs ?? {})
        .map(([k, v]) => ` ${escapeXml(k)}="${escapeXml(String(v))}"`)
        .join('');
      const fill = m.fill ? `fill="${escapeXml(m.fill)}" fill-opacity="${m.fillOpacity ?? 0.25}"` : 'fill="none"';
      const rect =
        `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" ${fill} stroke="${color}"` +
        ` stroke-width="${m.strokeWidth ?? 2}" stroke-opacity="${m.opacity ?? 1}"${m.dashed ? ' stroke-dasharray="4 3"' : ''}${extra}/>`;
      if (!m.label) return rect;
      const ty = y > 12 ? y - 3 : y + 11;
      return (
        rect +
        `<text x="${num(x + 1)}" y="${num(ty)}" font-size="11" font-family="sans-serif" fill="${color}" fill-opacity="${m.opacity ?? 1}"` +
        ` paint-order="stroke" stroke="var(--vp-c-bg, white)" stroke-width="3">${escapeXml(m.label)}</text>`
      );
    })
    .join('');
}

/** The whole `<svg>` document as a string. */
export function boxesSvgMarkup(options: BoxesSvgOptions): string {
  const { width, height, scale = 1, image, background, marks } = options;
  if (!(width > 0) || !(height > 0)) throw new Error(`boxesSvg: 'width' and 'height' must be positive, got ${width} x ${height}.`);
  const W = num(width * scale);
  const H = num(height * scale);
  const bg = background ? `<rect width="${W}" height="${H}" fill="${escapeXml(background)}"/>` : '';
  const img = image
    ? `<image href="${escapeXml(image)}" width="${W}" height="${H}" preserveAspectRatio="none" style="image-rendering: pixelated"/>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" style="max-width: 100%; height: auto">${bg}${img}${boxesMarkup(marks, scale)}</svg>`;
}

/** The SVG as an element to return from a cell (browser only). */
export function boxesSvg(options: BoxesSvgOptions): SVGSVGElement {
  const template = document.createElement('template');
  template.innerHTML = boxesSvgMarkup(options);
  return template.content.firstElementChild as SVGSVGElement;
}

/** A grey or RGB image (values 0..1, channels last), such as a data scene, as a PNG data URL (browser only). */
export function sceneImageUrl(scene: { width: number; height: number; channels: number; image: ArrayLike<number> }): string {
  const { width, height, channels, image } = scene;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const out = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) out.data[4 * i + c] = Math.round(255 * Math.min(1, Math.max(0, image[i * channels + (channels === 1 ? 0 : c)])));
    out.data[4 * i + 3] = 255;
  }
  ctx.putImageData(out, 0, 0);
  return canvas.toDataURL();
}

/** The overlap of two boxes, or null when they do not overlap (touching edges give null). */
export function intersectionBox(a: ArrayLike<number>, b: ArrayLike<number>): Box | null {
  const x1 = Math.max(a[0], b[0]);
  const y1 = Math.max(a[1], b[1]);
  const x2 = Math.min(a[2], b[2]);
  const y2 = Math.min(a[3], b[3]);
  return x2 > x1 && y2 > y1 ? [x1, y1, x2, y2] : null;
}

/** The smallest box that holds both (GIoU's C). */
export function enclosingBox(a: ArrayLike<number>, b: ArrayLike<number>): Box {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** Colours that stay readable on a black image and on light and dark pages, one per class or index. */
export const BOX_COLORS = ['#f28e2b', '#4e79a7', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#bab0ac'];
