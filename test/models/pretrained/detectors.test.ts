import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDetector } from '../../../src/models/pretrained';
import { realDetectorsForTests } from '../../helpers/real-detectors';
import { decodeJpeg, jimpTestImage, type DecodedImage } from '../../helpers/decode-image';

// realDetectorsForTests: on WASM, ~30x faster than the CPU backend for these graphs.
describe('pretrained detectors on the car-park photo (@jimp/test-utils fillbytes.jpg, 704x576)', () => {
  const detectors = realDetectorsForTests();
  let photo: DecodedImage;
  let baseline = 0;

  beforeAll(async () => {
    photo = decodeJpeg(jimpTestImage('fillbytes.jpg'));
  });
  beforeEach(() => {
    baseline = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(baseline);
  });

  for (const name of ['centernet', 'nanodet'] as const) {
    it(`${name} finds at least 5 cars scoring >= 0.3, boxes inside the photo`, async () => {
      const detector = name === 'centernet' ? detectors.centernet : detectors.nanodet;
      const found = await detector.detect(photo, { scoreThreshold: 0.3, iouThreshold: 0.5 });
      const cars = found.filter((d) => d.label === 'car' && d.score >= 0.3);
      expect(cars.length).toBeGreaterThanOrEqual(5);
      for (const d of found) {
        const [x1, y1, x2, y2] = d.box;
        expect(0 <= x1 && x1 < x2 && x2 <= photo.width).toBe(true);
        expect(0 <= y1 && y1 < y2 && y2 <= photo.height).toBe(true);
        expect(d.score).toBeGreaterThanOrEqual(0.3);
      }
      // best first
      expect(found.map((d) => d.score)).toEqual([...found.map((d) => d.score)].sort((a, b) => b - a));
      // The white hatchback in the middle of the photo spans about x 245-470, y 263-393 (read off the photo);
      // some car box must overlap it by IoU > 0.5, so boxes are in photo pixels, not model-input pixels.
      const golf = [245, 263, 470, 393];
      const iou = (b: number[]) => {
        const w = Math.max(0, Math.min(b[2], golf[2]) - Math.max(b[0], golf[0]));
        const h = Math.max(0, Math.min(b[3], golf[3]) - Math.max(b[1], golf[1]));
        const inter = w * h;
        return inter / ((b[2] - b[0]) * (b[3] - b[1]) + (golf[2] - golf[0]) * (golf[3] - golf[1]) - inter);
      };
      expect(Math.max(...cars.map((c) => iou(c.box)))).toBeGreaterThan(0.5);
    });
  }

  it('the same photo as a tensor gives the same detections', async () => {
    const t = tf.tidy(() => tf.slice(tf.tensor3d(photo.data, [photo.height, photo.width, 4], 'int32'), [0, 0, 0], [-1, -1, 3])) as tf.Tensor3D;
    const a = await detectors.nanodet.detect(photo);
    const b = await detectors.nanodet.detect(t);
    expect(b.length).toBe(a.length);
    b.forEach((d, i) => expect(d.box[0]).toBeCloseTo(a[i].box[0], 3));
    t.dispose();
  });

  it('a higher score threshold keeps a subset; maxDetections caps the count', async () => {
    const loose = await detectors.centernet.detect(photo, { scoreThreshold: 0.3 });
    const strict = await detectors.centernet.detect(photo, { scoreThreshold: 0.5 });
    expect(strict.length).toBeLessThan(loose.length);
    expect(strict.every((d) => d.score >= 0.5)).toBe(true);
    expect(await detectors.centernet.detect(photo, { maxDetections: 2 })).toHaveLength(2);
  });

  it('raw: CenterNet heatmap [128,128,80] at stride 4; NanoDet score maps at strides 8, 16, 32', async () => {
    const c = await detectors.centernet.raw(photo);
    expect(c.heatmap.shape).toEqual([128, 128, 80]);
    expect(c.stride).toBe(4);
    expect(c.transform.padY).toBe(46); // 704x576 into 512, see letterbox.test.ts
    // the heatmap is sigmoid output: the car channel (2) peaks above 0.5 somewhere on the photo
    const carMax = tf.tidy(() => tf.max(tf.slice(c.heatmap, [0, 0, 2], [-1, -1, 1])).dataSync()[0]);
    expect(carMax).toBeGreaterThan(0.5);
    expect(carMax).toBeLessThanOrEqual(1);
    c.heatmap.dispose();

    const n = await detectors.nanodet.raw(photo);
    // 416 / 8 = 52, 416 / 16 = 26, 416 / 32 = 13
    expect(n.levels.map((l) => [l.stride, ...l.scores.shape])).toEqual([[8, 52, 52, 80], [16, 26, 26, 80], [32, 13, 13, 80]]);
    tf.dispose(n.levels.map((l) => l.scores));
  });

  it('bad input and options throw errors naming the problem, and the detector keeps working', async () => {
    await expect(detectors.nanodet.detect({ data: new Uint8Array(0), width: 0, height: 0 })).rejects.toThrow(/detect: 'image' must be a non-empty image/);
    await expect(detectors.nanodet.detect({ data: new Uint8Array(10), width: 704, height: 576 })).rejects.toThrow(/1622016 \(RGBA\) or 1216512 \(RGB\) values/);
    await expect(detectors.nanodet.detect(photo, { scoreThreshold: 1.5 })).rejects.toThrow(/detect: 'scoreThreshold' must be a number in \[0, 1\], got 1.5/);
    await expect(detectors.nanodet.detect(photo, { iouThreshold: -0.1 })).rejects.toThrow(/'iouThreshold' must be a number in \[0, 1\]/);
    await expect(detectors.nanodet.detect(photo, { maxDetections: 2.5 })).rejects.toThrow(/'maxDetections' must be a whole number/);
    await expect(detectors.nanodet.detect(photo, { scoreTreshold: 0.3 } as never)).rejects.toThrow(/unknown option 'scoreTreshold'/);
    await expect(detectors.nanodet.detect(photo, 0.3 as never)).rejects.toThrow(/detect: 'options' must be an object, got number/);
    expect((await detectors.nanodet.detect(photo)).length).toBeGreaterThanOrEqual(5);
  });

  it('loadDetector rejects an unknown name, a size the graph cannot take, and a missing file', async () => {
    await expect(loadDetector('yolo' as never)).rejects.toThrow(/loadDetector: 'name' must be one of 'centernet', 'nanodet', got 'yolo'/);
    await expect(loadDetector('nanodet', { inputSize: 320 })).rejects.toThrow(/'inputSize' must be 416, the size this nanodet graph was converted for, got 320/);
    await expect(loadDetector('centernet', { inputSize: 0 })).rejects.toThrow(/'inputSize' must be a whole number/);
    await expect(loadDetector('centernet', { modelUrl: '/nonexistent/centernet.json' })).rejects.toThrow(
      /loadDetector: could not load the 'centernet' model from \/nonexistent\/centernet.json/,
    );
  });
});
