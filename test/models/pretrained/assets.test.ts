import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { assets as modelAssets } from '../../../scripts/assets/models';
import { assets as photoAssets } from '../../../scripts/assets/photos';
import { LESSON_PHOTOS } from '../../../src/models/pretrained';

describe('site assets for the pretrained detectors', () => {
  it('serves each model\'s json and weights under models/, the weights as big as the manifest says', async () => {
    expect(modelAssets.map((a) => a.url)).toEqual(['models/centernet.json', 'models/centernet.bin', 'models/nanodet.json', 'models/nanodet.bin']);
    for (const name of ['centernet', 'nanodet']) {
      const json = JSON.parse(new TextDecoder().decode(await modelAssets.find((a) => a.url === `models/${name}.json`)!.load()));
      const bin = await modelAssets.find((a) => a.url === `models/${name}.bin`)!.load();
      // the float weights are stored quantised to float16 (2 bytes a value), the int32 constants as 4 bytes
      type Spec = { shape: number[]; dtype: string; quantization?: { dtype: string } };
      const width = (w: Spec) => ({ float16: 2, uint16: 2, uint8: 1 })[w.quantization?.dtype as 'uint8'] ?? 4;
      const bytes = json.weightsManifest
        .flatMap((g: { weights: Spec[] }) => g.weights)
        .reduce((n: number, w: Spec) => n + width(w) * w.shape.reduce((a, b) => a * b, 1), 0);
      expect(json.weightsManifest[0].paths).toEqual([`${name}.bin`]);
      expect(bin.byteLength).toBe(bytes);
    }
  });

  it('serves every photo LESSON_PHOTOS lists, at the size it states', async () => {
    expect(photoAssets.map((a) => a.url)).toEqual(LESSON_PHOTOS.map((p) => p.url));
    for (const p of LESSON_PHOTOS) {
      const bytes = await photoAssets.find((a) => a.url === p.url)!.load();
      const { width, height } = jpeg.decode(bytes, { useTArray: true });
      expect([p.name, width, height]).toEqual([p.name, p.width, p.height]);
      expect(p.licence).toMatch(/MIT/);
    }
  });
});
