import * as tf from '@tensorflow/tfjs';
import { fail, positiveInt, rate as checkRate } from './check-options';
import { scaledDotProductAttention } from './scaled-dot-product-attention';

export interface MultiHeadAttentionArgs {
  numHeads: number;
  /** Dropout on the attention weights while training (torchvision's `attention_dropout`). */
  dropout?: number;
  useBias?: boolean;
  /** Also output the attention weights [N, heads, Tq, Tk] (the probabilities, before dropout). */
  returnAttention?: boolean;
  /** Block attention to later tokens (a decoder's mask), in addition to any mask input. */
  causal?: boolean;
  seed?: number;
  name?: string;
  trainable?: boolean;
}

type Shape = (number | null)[];

const divisors = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((h) => n % h === 0);

/**
 * Multi-head attention as torch.nn.MultiheadAttention computes it: Q, K, V
 * projections of the model dim D (4D^2 + 4D parameters for self-attention, as
 * torch's in_proj + out_proj), `numHeads` heads of D / numHeads each, scaled
 * dot-product attention per head, heads concatenated and projected back.
 *
 * Inputs: x (self-attention), [query, value] (cross-attention: keys and values
 * from `value`), or [query, value, mask] with mask [N, Tq, Tk] or [N, 1, Tk]
 * (1 = may attend, 0 = blocked). Output [N, Tq, D]; with `returnAttention`
 * the list [output, weights [N, heads, Tq, Tk]].
 */
export class MultiHeadAttention extends tf.layers.Layer {
  static className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly returnAttention: boolean;
  readonly causal: boolean;
  readonly seed: number | undefined;
  private wq!: tf.LayerVariable;
  private wk!: tf.LayerVariable;
  private wv!: tf.LayerVariable;
  private wo!: tf.LayerVariable;
  private bq?: tf.LayerVariable;
  private bk?: tf.LayerVariable;
  private bv?: tf.LayerVariable;
  private bo?: tf.LayerVariable;

  constructor(args: MultiHeadAttentionArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.numHeads = positiveInt('MultiHeadAttention', 'numHeads', args.numHeads);
    this.dropout = checkRate('MultiHeadAttention', 'dropout', args.dropout ?? 0);
    this.useBias = args.useBias ?? true;
    this.returnAttention = args.returnAttention ?? false;
    this.causal = args.causal ?? false;
    this.seed = args.seed;
  }

  private shapes(inputShape: Shape | Shape[]): { q: Shape; kv: Shape; mask?: Shape } {
    const list = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    if (list.length > 3) fail('MultiHeadAttention', 'inputs', 'x, [query, value] or [query, value, mask]', `${list.length} inputs`);
    const [q, kv = q, mask] = list;
    for (const [arg, s] of [['query', q], ['value', kv]] as const) {
      if (s.length !== 3) fail('MultiHeadAttention', arg, 'a [batch, tokens, dim] input', `shape [${s.map((d) => d ?? 'null')}]`);
    }
    return { q, kv, mask };
  }

  private dims(inputShape: Shape | Shape[]): { d: number; dkv: number; heads: number } {
    const { q, kv } = this.shapes(inputShape);
    const d = q[2] as number;
    const dkv = kv[2] as number;
    if (d % this.numHeads !== 0) {
      fail('MultiHeadAttention', 'numHeads', `a divisor of the model dim ${d} so every head gets the same size (allowed: ${divisors(d).join(', ')})`, this.numHeads);
    }
    return { d, dkv, heads: this.numHeads };
  }

  override build(inputShape: Shape | Shape[]): void {
    const { d, dkv } = this.dims(inputShape);
    const init = (k: number) => tf.initializers.glorotUniform({ seed: this.seed === undefined ? undefined : this.seed + k });
    this.wq = this.addWeight('query_kernel', [d, d], 'float32', init(0));
    this.wk = this.addWeight('key_kernel', [dkv, d], 'float32', init(1));
    this.wv = this.addWeight('value_kernel', [dkv, d], 'float32', init(2));
    this.wo = this.addWeight('output_kernel', [d, d], 'float32', init(3));
    if (this.useBias) {
      // torch zeroes in_proj_bias and out_proj.bias.
      this.bq = this.addWeight('query_bias', [d], 'float32', tf.initializers.zeros());
      this.bk = this.addWeight('key_bias', [d], 'float32', tf.initializers.zeros());
      this.bv = this.addWeight('value_bias', [d], 'float32', tf.initializers.zeros());
      this.bo = this.addWeight('output_bias', [d], 'float32', tf.initializers.zeros());
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const { q, kv } = this.shapes(inputShape);
    const { d } = this.dims(inputShape);
    const out: Shape = [q[0], q[1], d];
    return this.returnAttention ? [out, [q[0], this.numHeads, q[1], kv[1]]] : out;
  }

  /** MACs at batch N: the four projections plus QK^T and AV (each N * Tq * Tk * D over all heads). */
  countMacs(inputShape: number[] | number[][]): number {
    const { q, kv } = this.shapes(inputShape);
    const { d, dkv } = this.dims(inputShape);
    const [n, tq] = q as number[];
    const tk = kv[1] as number;
    const projections = n * tq * d * d * 2 + n * tk * dkv * d * 2;
    return projections + 2 * n * tq * tk * d;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const [q, kv = q, maskIn] = list;
      const [n, tq, d] = q.shape as [number, number, number];
      const tk = kv.shape[1] as number;
      const h = this.numHeads;
      const project = (x: tf.Tensor, w: tf.LayerVariable, b: tf.LayerVariable | undefined, t: number) => {
        let y = tf.matMul(tf.reshape(x, [n * t, x.shape[2] as number]), w.read());
        if (b) y = tf.add(y, b.read());
        // [N*T, D] -> [N, heads, T, D/heads]
        return tf.transpose(tf.reshape(y, [n, t, h, d / h]), [0, 2, 1, 3]);
      };
      let mask: tf.Tensor | null = maskIn ? tf.expandDims(tf.cast(maskIn, 'float32'), 1) : null;
      if (this.causal) {
        // Query i may see keys 0..i (built on the host: a constant needs no kernel of its own).
        const tri = new Float32Array(tq * tk).map((_, j) => (j % tk <= Math.floor(j / tk) ? 1 : 0));
        const lower = tf.tensor(tri, [tq, tk]);
        mask = mask ? tf.mul(mask, lower) : lower;
      }
      const { output, weights } = scaledDotProductAttention(project(q, this.wq, this.bq, tq), project(kv, this.wk, this.bk, tk), project(kv, this.wv, this.bv, tk), mask, {
        dropout: this.dropout,
        training: kwargs?.training === true,
      });
      let y = tf.matMul(tf.reshape(tf.transpose(output, [0, 2, 1, 3]), [n * tq, d]), this.wo.read());
      if (this.bo) y = tf.add(y, this.bo.read());
      const out = tf.reshape(y, [n, tq, d]);
      return this.returnAttention ? [out, weights] : out;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      dropout: this.dropout,
      useBias: this.useBias,
      returnAttention: this.returnAttention,
      causal: this.causal,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}
tf.serialization.registerClass(MultiHeadAttention);
