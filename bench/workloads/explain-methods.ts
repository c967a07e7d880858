import * as tf from '@tensorflow/tfjs';
import { explain, listExplainers } from '../../src/explain/index';
import { smallCnnClassifier } from '../../src/models/backbones/small-classifiers';

/**
 * The explain suites' workload, the same in Node and in Chromium: every map
 * method of the registry on one 128x128x3 image through the Lesson 1 CNN's
 * architecture at that size (conv 16-32-32 with two 2x2 pools, GAP, dense 10:
 * the target layer is 32x32x32), untrained and seeded (timing does not depend
 * on the weights). Occlusion uses 16 px patches at stride 16 (64 positions).
 * Median ms per method after one warm-up, and the tensors left over (0 expected).
 */
export interface ExplainTimes {
  backend: string;
  rows: { method: string; ms: number; leaked: number }[];
}

export async function timeExplainMethods(repeats: number): Promise<ExplainTimes> {
  const model = smallCnnClassifier({ inputShape: [128, 128, 3], seed: 1 });
  const input = tf.randomUniform([1, 128, 128, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const rows: ExplainTimes['rows'] = [];
  for (const { name } of listExplainers()) {
    const once = async () => {
      const m = await explain(name, { model, input, target: 3, patch: 16, stride: 16 });
      await m.data();
      m.dispose();
    };
    await once();
    const before = tf.memory().numTensors;
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      await once();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    rows.push({ method: name, ms: times[Math.floor(times.length / 2)], leaked: tf.memory().numTensors - before });
  }
  input.dispose();
  model.dispose();
  return { backend: tf.getBackend(), rows };
}
