import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SCENE_DETECTORS } from '../../src/models/detectors/index';
import { trainSceneDetector, trainingSceneBatches } from '../../src/train/index';
import { trainOnFastestBackend } from '../helpers/training-backend';

// trainSceneDetector: the course loop (train) on a scene detector, as scripts/weights/lesson-08.ts and the lessons train.
trainOnFastestBackend();

describe('trainSceneDetector (the course loop on a scene detector)', () => {
  it('fresh train-split scenes each batch, deterministic by seed', async () => {
    const take = async (seed: number) => {
      const out: number[][][][] = [];
      for await (const b of trainingSceneBatches({ batchSize: 2, seed, batches: 2 })) {
        expect(b.images.shape).toEqual([2, 128, 128, 1]);
        out.push(b.boxes);
        b.images.dispose();
      }
      return out;
    };
    const one = await take(1);
    expect(one.length).toBe(2);
    expect(await take(1)).toEqual(one);
    expect(await take(2)).not.toEqual(one);
    expect(one[0]).not.toEqual(one[1]);
  });
  it('yields per-loss terms each step, the benchmark AP when asked, and stops on its signal; tensors back to baseline', async () => {
    const det = SCENE_DETECTORS.get('faster-rcnn').create();
    const before = tf.memory().numTensors;
    const ctrl = new AbortController();
    const events = [];
    for await (const e of trainSceneDetector(det, { steps: 10, batchSize: 1, evaluate: { every: 1, count: 1 }, signal: ctrl.signal })) {
      events.push(e);
      if (e.step === 2) ctrl.abort();
    }
    expect(events.length).toBe(2);
    expect(Object.keys(events[0].lossTerms).sort()).toEqual(['box', 'classifier', 'rpnBox', 'rpnObjectness']);
    expect(Object.keys(events[1].evaluation ?? {}).sort()).toEqual(['AP', 'AP50', 'AP75']);
    // Warmup (100 steps, capped at the run's 10): lr rises linearly from lr / 10.
    expect(events[0].lr).toBeCloseTo(0.002 / 10, 8);
    expect(tf.memory().numTensors).toBe(before);
    det.dispose();
    expect(() => trainSceneDetector(det, { steps: 0 })).toThrow(/trainSceneDetector: 'steps' must be a positive whole number, got 0/);
  });
});
