/**
 * Exercise: scaled dot-product attention on plain arrays,
 *   softmax(Q Kᵀ / sqrt(d_k)) V
 * (Vaswani et al. 2017, eq. 1), checked against the course's
 * nn.scaledDotProductAttention.
 */
import * as tf from '@tensorflow/tfjs';
import { scaledDotProductAttention } from '../../../src/nn/index';
import { defineExercise } from '../../../src/exercises/index';

export default defineExercise({
  id: 'scaled-dot-product-attention',
  title: 'Scaled dot-product attention',
  entry: 'attention',
  starter: `/**
 * q: n queries, k: m keys, v: m values, as arrays of rows (q and k rows have d numbers).
 * Return the n output rows: softmax(q kᵀ / sqrt(d)) v, the softmax along each row.
 */
function attention(q, k, v) {
  return q.map(() => v[0].map(() => 0));
}
`,
  solution: `function attention(q, k, v) {
  const d = q[0].length;
  return q.map((qi) => {
    const scores = k.map((kj) => kj.reduce((s, x, t) => s + x * qi[t], 0) / Math.sqrt(d));
    const top = Math.max(...scores);
    const e = scores.map((s) => Math.exp(s - top));
    const total = e.reduce((a, b) => a + b, 0);
    const w = e.map((x) => x / total);
    return v[0].map((_, c) => w.reduce((s, wj, j) => s + wj * v[j][c], 0));
  });
}
`,
  hints: [
    'Row i of q kᵀ holds the dot products of query i with every key: m numbers.',
    'Divide every score by Math.sqrt(d), where d is the length of a query, before the softmax.',
    "A softmax of large scores overflows Math.exp: subtract the row's largest score first; the weights do not change.",
    'Output row i is the sum over j of weight(i, j) times value row j.',
  ],
  cases: [
    // Two tokens, d = 2, Q = K = I: scores I/sqrt(2), so row 0's weights are
    // e^0.70711 / (e^0.70711 + 1) = 2.02811 / 3.02811 = 0.66976 and 0.33024;
    // output row 0 = 0.66976*[1, 2] + 0.33024*[3, 4] = [1.66048, 2.66048].
    { args: [[[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 2], [3, 4]]], visible: true, label: 'two tokens (worked in the comment)' },
    // Equal keys: every weight 1/3, the output is the mean of the values whatever the query.
    { args: [[[5, -2, 1]], [[1, 1, 1], [1, 1, 1], [1, 1, 1]], [[3, 0], [0, 3], [3, 3]]], visible: true, label: 'equal keys: the mean of the values' },
    { args: [[[1, 2, 0, -1], [0, 0, 1, 1], [2, -1, 0.5, 0]], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], [[1], [2], [3], [4]]], label: '3 queries, 4 keys, values of width 1' },
    // Scores of ±20000/sqrt(2): Math.exp overflows without subtracting the maximum.
    { args: [[[100, 100]], [[100, 100], [-100, -100]], [[1, 0], [0, 1]]], label: 'large scores (overflow)' },
    { args: [[[0.3, -0.7, 1.1, 0.2, -0.4, 0.9, 0.05, -1.2]], [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [-0.8, 0.7, -0.6, 0.5, -0.4, 0.3, -0.2, 0.1]], [[1, -1, 2], [0.5, 0.5, -3]]], label: 'd = 8: the sqrt(8) scaling' },
  ],
  reference: (q: number[][], k: number[][], v: number[][]) => tf.tidy(() => scaledDotProductAttention(tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(v)).output),
  tolerance: { atol: 1e-5, rtol: 1e-5 },
});
