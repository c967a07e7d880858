import * as tf from '@tensorflow/tfjs';

/**
 * Reverse-mode autodiff by hand on the three-node graph every gradient method
 * above rests on: u = w · x (multiply), v = u + b (add), y = σ(v) (sigmoid).
 * The forward pass records each node's value; the backward pass walks the
 * nodes in reverse, multiplying the incoming gradient by each node's local
 * derivative (the chain rule), which is what `tf.grad` does over its tape.
 * `checkAgainstTfGrad` runs the same graph through `tf.grads` for comparison.
 */
export interface GraphInputs {
  x: number;
  w: number;
  b: number;
}

export interface AutogradStep {
  node: string;
  /** The rule applied, in words and symbols. */
  rule: string;
  value: number;
}

export function forwardSteps({ x, w, b }: GraphInputs): { steps: AutogradStep[]; u: number; v: number; y: number } {
  const u = w * x;
  const v = u + b;
  const y = 1 / (1 + Math.exp(-v));
  return {
    u, v, y,
    steps: [
      { node: 'u', rule: 'u = w · x', value: u },
      { node: 'v', rule: 'v = u + b', value: v },
      { node: 'y', rule: 'y = σ(v) = 1 / (1 + e^{-v})', value: y },
    ],
  };
}

export function backwardSteps(inputs: GraphInputs): { steps: AutogradStep[]; grads: GraphInputs } {
  const { y } = forwardSteps(inputs);
  const dy = 1;
  const dv = dy * y * (1 - y);
  const du = dv * 1;
  const db = dv * 1;
  const dw = du * inputs.x;
  const dx = du * inputs.w;
  return {
    grads: { x: dx, w: dw, b: db },
    steps: [
      { node: 'y', rule: '∂y/∂y = 1 (the seed)', value: dy },
      { node: 'v', rule: '∂y/∂v = ∂y/∂y · σ(v)(1 − σ(v))', value: dv },
      { node: 'u', rule: '∂y/∂u = ∂y/∂v · ∂v/∂u = ∂y/∂v · 1', value: du },
      { node: 'b', rule: '∂y/∂b = ∂y/∂v · ∂v/∂b = ∂y/∂v · 1', value: db },
      { node: 'w', rule: '∂y/∂w = ∂y/∂u · ∂u/∂w = ∂y/∂u · x', value: dw },
      { node: 'x', rule: '∂y/∂x = ∂y/∂u · ∂u/∂x = ∂y/∂u · w', value: dx },
    ],
  };
}

/** The same graph through `tf.grads`: the gradients of y with respect to x, w and b. */
export function checkAgainstTfGrad({ x, w, b }: GraphInputs): GraphInputs {
  return tf.tidy(() => {
    const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.sigmoid(tf.add(tf.mul(ws, xs), bs));
    const [gx, gw, gb] = tf.grads(f)([tf.scalar(x), tf.scalar(w), tf.scalar(b)]);
    return { x: gx.dataSync()[0], w: gw.dataSync()[0], b: gb.dataSync()[0] };
  });
}
