import * as tf from '@tensorflow/tfjs';
import { positiveInt } from './check-options';

/**
 * The fixed position code of "Attention Is All You Need" (sec. 3.5) as plain
 * numbers: row `pos`, columns 2i and 2i+1 hold sin and cos of
 * pos / 10000^(2i/dim), so every position gets a distinct code and a shift
 * by k is a rotation of each (sin, cos) pair. An odd `dim` ends with a sine.
 */
export function sinusoidalTable(length: number, dim: number): Float32Array {
  positiveInt('sinusoidalPositionEmbedding', 'length', length);
  positiveInt('sinusoidalPositionEmbedding', 'dim', dim);
  const out = new Float32Array(length * dim);
  for (let pos = 0; pos < length; pos++) {
    for (let j = 0; j < dim; j++) {
      const i2 = j - (j % 2);
      const angle = pos / 10000 ** (i2 / dim);
      out[pos * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}

/**
 * The sinusoidal position embedding as an eager [length, dim] tensor (the
 * caller disposes it).
 *
 * @example
 * const pe = nn.sinusoidalPositionEmbedding(50, 64); // [50, 64]
 */
export function sinusoidalPositionEmbedding(length: number, dim: number): tf.Tensor2D {
  return tf.tensor2d(sinusoidalTable(length, dim), [length, dim]);
}
