import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll } from 'vitest';
import { loadDetector, type CenterNetDetector, type NanoDetDetector } from '../../src/models/pretrained';

export interface RealDetectors {
  centernet: CenterNetDetector;
  nanodet: NanoDetDetector;
}

/**
 * Both real detectors for the tests of a describe block, on WASM: the graphs
 * run ~30x faster there than on the CPU backend in Node, and forward inference
 * needs no kernel WASM lacks. Back on cpu and disposed after the block.
 */
export function realDetectorsForTests(): RealDetectors {
  const loaded = {} as RealDetectors;
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    await tf.ready();
    loaded.centernet = await loadDetector('centernet');
    loaded.nanodet = await loadDetector('nanodet');
  });
  afterAll(async () => {
    loaded.centernet?.dispose();
    loaded.nanodet?.dispose();
    await tf.setBackend('cpu');
  });
  return loaded;
}
