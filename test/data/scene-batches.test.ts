import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { sceneBatches, sceneBatchesFrom, type SceneBatch } from '../../src/data/scene-batches';
import { shapeScenes } from '../../src/data/shape-scenes';

/** A batch as plain data (and its images disposed), to compare runs. */
async function plain(b: SceneBatch) {
  const pixels = Array.from(await b.images.data());
  const shape = b.images.shape;
  b.images.dispose();
  return { shape, pixels, boxes: b.boxes, labels: b.labels, ids: b.ids };
}

async function drain(it: Iterable<SceneBatch>) {
  const out = [];
  for (const b of it) out.push(await plain(b));
  return out;
}

describe('sceneBatches', () => {
  it('is deterministic: same seed, same batches; another seed, another order', async () => {
    const opts = { digits: { seed: 3, count: 10, size: 48, maxObjectSize: 24 }, batchSize: 4, seed: 5 };
    const a = await drain(await sceneBatches(opts));
    const b = await drain(await sceneBatches(opts));
    const c = await drain(await sceneBatches({ ...opts, seed: 6 }));
    expect(a).toEqual(b);
    expect(a.map((x) => x.ids)).not.toEqual(c.map((x) => x.ids));
    // 10 scenes in batches of 4: 4 + 4 + 2, every scene once
    expect(a.map((x) => x.shape)).toEqual([[4, 48, 48, 1], [4, 48, 48, 1], [2, 48, 48, 1]]);
    expect(a.flatMap((x) => x.ids).sort((p, q) => p - q)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('each batch holds its scenes\' pixels, boxes and labels, in the same order', async () => {
    const scenes = shapeScenes({ seed: 8, count: 6, maxObjects: 3 });
    const batches = await drain(sceneBatchesFrom(scenes, { batchSize: 3, seed: 1, epochs: 2, dropRemainder: true }));
    expect(batches).toHaveLength(4);
    const px = 64 * 64 * 3;
    for (const b of batches) {
      b.ids.forEach((id, k) => {
        const s = scenes.find((q) => q.id === id)!;
        expect(b.boxes[k]).toEqual(s.objects.map((o) => o.box));
        expect(b.labels[k]).toEqual(s.objects.map((o) => o.label));
        expect(b.pixels.slice(k * px, (k + 1) * px)).toEqual(Array.from(s.image));
      });
    }
    // the second epoch is shuffled again
    expect([...batches[0].ids, ...batches[1].ids]).not.toEqual([...batches[2].ids, ...batches[3].ids]);
    const unshuffled = await drain(sceneBatchesFrom(scenes, { batchSize: 6, shuffle: false }));
    expect(unshuffled[0].ids).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('leaks no tensor when every batch is disposed, nor when the loop stops early', async () => {
    const base = tf.memory().numTensors;
    for (const b of sceneBatchesFrom(shapeScenes({ seed: 2, count: 9 }), { batchSize: 2 })) b.images.dispose();
    const it = await sceneBatches({ shapes: { seed: 2, count: 9 }, batchSize: 2 });
    const first = it.next().value as SceneBatch;
    first.images.dispose();
    it.return(undefined);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('checks its options where the iterator is made', async () => {
    const scenes = shapeScenes({ seed: 1, count: 2 });
    expect(() => sceneBatchesFrom(scenes, { batchSize: 0 })).toThrow(/sceneBatches: 'batchSize' must be a number in/);
    expect(() => sceneBatchesFrom(scenes, { batchSize: 2.5 })).toThrow(/sceneBatches: 'batchSize' must be a whole number/);
    // 1.5 used to run two whole passes
    expect(() => sceneBatchesFrom(scenes, { epochs: 1.5 })).toThrow(/sceneBatches: 'epochs' must be a whole number, got 1.5/);
    expect([...sceneBatchesFrom(scenes, { epochs: 0 })]).toEqual([]);
    expect(() => sceneBatchesFrom([], {})).toThrow(/sceneBatches: 'scenes' must be a non-empty array/);
    expect(() => sceneBatchesFrom([...scenes, ...shapeScenes({ seed: 1, count: 1, size: 32, maxObjectSize: 16, firstId: 9 })])).toThrow(/sceneBatches: 'scenes' must share one size, got 64x64x3 and 32x32x3/);
    await expect(sceneBatches({ scenes, shapes: { count: 1 } })).rejects.toThrow(/sceneBatches: 'scenes' must be given alone/);
    await expect(sceneBatches({})).rejects.toThrow(/sceneBatches: 'scenes'/);
  });
});
