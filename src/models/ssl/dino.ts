import * as tf from '@tensorflow/tfjs';
import { TakeToken } from '../../nn/index';
import { fail } from '../../util/validate';
import { visionTransformer } from '../backbones/vit';
import { PrototypeLayer } from './dino-head';
import { dinoLoss, teacherMomentum, updatedCenter } from './dino-loss';
import { multiCrop } from './multi-crop';

/**
 * DINO (Caron et al. 2021, "Emerging Properties in Self-Supervised Vision
 * Transformers"; facebookresearch/dino): self-distillation with no labels.
 * A student and a teacher of the same architecture (a ViT from the zoo's
 * `visionTransformer`, its class token, then DINO's projection head ending in
 * K prototypes); the student learns by gradient to match the teacher's
 * centred, sharpened output on another crop of the same image; the teacher is
 * never trained by gradient, it is an exponential moving average of the
 * student (θ_t ← λ θ_t + (1 − λ) θ_s, λ rising to 1 on a cosine schedule).
 */
export interface DinoConfig {
  inputShape: [number, number, number];
  patchSize: number;
  dim: number;
  depth: number;
  numHeads: number;
  mlpRatio: number;
  /** Projection head: hidden width, bottleneck width, number of prototypes K. */
  headHidden: number;
  bottleneck: number;
  outDim: number;
  studentTemp: number;
  teacherTemp: number;
  /** Subtract the running mean of the teacher's outputs (DINO's centering). Off: the page's first collapse. */
  centering: boolean;
  /** Sharpen the teacher with teacherTemp; off uses temperature 1 (a nearly flat softmax of cosines): the second collapse. */
  sharpening: boolean;
  centerMomentum: number;
  /** λ₀ of the teacher's momentum schedule (DINO: 0.996 over 100 epochs; a short run needs a faster teacher). */
  teacherMomentumBase: number;
  globalCrops: number;
  localCrops: number;
  seed: number;
}

/** DINO-tiny for 28×28 digits: ViT 7×7 patches (16 tokens), D 48, 2 blocks; head 96 → 24 → 64 prototypes. */
export const DINO_TINY: DinoConfig = {
  inputShape: [28, 28, 1], patchSize: 7, dim: 48, depth: 2, numHeads: 3, mlpRatio: 2,
  headHidden: 96, bottleneck: 24, outDim: 64,
  studentTemp: 0.1, teacherTemp: 0.04, centering: true, sharpening: true,
  centerMomentum: 0.9, teacherMomentumBase: 0.99, globalCrops: 2, localCrops: 2, seed: 1,
};

const CONFIG_KEYS = Object.keys(DINO_TINY);

/** Backbone + head as one model: image → [features [B, D] (the class token), head output [B, K] (cosines to the prototypes)]. */
export function buildDinoNetwork(c: DinoConfig, name: string): tf.LayersModel {
  const vit = visionTransformer({
    inputShape: c.inputShape, numClasses: 1, patchSize: c.patchSize, dim: c.dim, depth: c.depth, numHeads: c.numHeads,
    mlpDim: Math.round(c.dim * c.mlpRatio), seed: c.seed, name: `${name}_vit`,
  });
  // The encoder's normalised tokens (class token first); the classifier head beyond them is not used.
  const tokens = vit.getLayer('encoder_ln').output as tf.SymbolicTensor;
  for (const w of vit.getLayer('head').weights) w.dispose();
  const feat = new TakeToken({ index: 0, name: 'class_token_state' }).apply(tokens) as tf.SymbolicTensor;
  const dense = (x: tf.SymbolicTensor, units: number, k: number, activation?: 'gelu') =>
    tf.layers.dense({ units, activation, kernelInitializer: tf.initializers.truncatedNormal({ stddev: 0.02, seed: c.seed * 100 + k }), name: `head_${k}` }).apply(x) as tf.SymbolicTensor;
  let h = dense(feat, c.headHidden, 1, 'gelu');
  h = dense(h, c.headHidden, 2, 'gelu');
  h = dense(h, c.bottleneck, 3);
  const out = new PrototypeLayer({ units: c.outDim, seed: c.seed * 100 + 4, name: 'prototypes' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: vit.inputs, outputs: [feat, out], name });
}

export interface DinoStepResult {
  loss: number;
  /** λ used for this step's teacher update. */
  momentum: number;
}

export interface CollapseStats {
  /** Mean entropy of the teacher's output distributions (nats); ln K when uniform. */
  entropy: number;
  maxEntropy: number;
  /** Mean ½‖p_i − p̄‖₁: how far each image's output is from the average output. 0 = every image mapped to one output. */
  spread: number;
  /** Share of images whose most likely prototype is the most common one. 1 = one prototype wins every image. */
  topShare: number;
  /** Number of different winning prototypes. */
  distinct: number;
}

export class Dino {
  readonly config: DinoConfig;
  readonly student: tf.LayersModel;
  readonly teacher: tf.LayersModel;
  /** The running centre c of the teacher's outputs, [1, K]. */
  readonly center: tf.Variable;
  private steps = 0;

  constructor(config: DinoConfig, parts?: { student: tf.LayersModel; teacher: tf.LayersModel; center?: Float32Array }) {
    for (const k of Object.keys(config)) if (!CONFIG_KEYS.includes(k)) fail('createDino', 'config', `made of ${CONFIG_KEYS.join(', ')} (no '${k}')`);
    if (!(config.teacherTemp > 0 && config.studentTemp > 0)) fail('createDino', 'teacherTemp', 'a temperature > 0 (and studentTemp too)', `${config.teacherTemp} / ${config.studentTemp}`);
    if (!(config.teacherMomentumBase >= 0 && config.teacherMomentumBase < 1)) fail('createDino', 'teacherMomentumBase', 'a number in [0, 1)', String(config.teacherMomentumBase));
    this.config = { ...config };
    if (parts) {
      this.student = parts.student;
      this.teacher = parts.teacher;
    } else {
      this.student = buildDinoNetwork(config, 'dino_student');
      this.teacher = buildDinoNetwork(config, 'dino_teacher');
      // DINO starts the teacher as a copy of the student.
      this.teacher.setWeights(this.student.getWeights());
    }
    this.teacher.trainable = false;
    // tidy frees the initial value; the variable keeps its own reference to the data.
    this.center = tf.tidy(() => tf.variable(parts?.center ? tf.tensor2d(parts.center, [1, config.outDim]) : tf.zeros([1, config.outDim]), false));
  }

  /** The student's trainable variables (the teacher has none). */
  get variables(): tf.Variable[] {
    return this.student.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /** The temperature the teacher's softmax uses: teacherTemp, or 1 with sharpening off. */
  get teacherTemperature(): number {
    return this.config.sharpening ? this.config.teacherTemp : 1;
  }

  /** θ_t ← λ θ_t + (1 − λ) θ_s for every weight, buffers included. */
  updateTeacher(momentum: number): void {
    const s = this.student.weights;
    this.teacher.weights.forEach((t, i) => {
      tf.tidy(() => {
        t.write(tf.add(tf.mul(t.read(), momentum), tf.mul(s[i].read(), 1 - momentum)));
      });
    });
  }

  /**
   * One DINO step on a batch of images: multi-crop; the teacher's outputs on
   * the global crops; one optimizer step of the student on the loss over all
   * crops; the centre's EMA (if centering); the teacher's EMA with λ of this
   * step of `totalSteps`.
   */
  async trainStep(xs: tf.Tensor4D, optimizer: tf.Optimizer, ctx: { step?: number; totalSteps: number }): Promise<DinoStepResult> {
    const c = this.config;
    const step = ctx.step ?? this.steps;
    const crops = multiCrop(xs, { globalCrops: c.globalCrops, localCrops: c.localCrops, seed: c.seed * 1_000_003 + step });
    const teacherOut = tf.tidy(() => {
      const out = (this.teacher.apply(tf.concat(crops.slice(0, c.globalCrops), 0)) as tf.Tensor[])[1] as tf.Tensor2D;
      return tf.split(out, c.globalCrops, 0) as tf.Tensor2D[];
    });
    const temps = { studentTemp: c.studentTemp, teacherTemp: this.teacherTemperature };
    const loss = optimizer.minimize(() => {
      const out = (this.student.apply(tf.concat(crops, 0), { training: true }) as tf.Tensor[])[1] as tf.Tensor2D;
      return dinoLoss(tf.split(out, crops.length, 0) as tf.Tensor2D[], teacherOut, this.center, temps);
    }, true, this.variables) as tf.Scalar;
    if (c.centering) {
      const next = updatedCenter(this.center, teacherOut, c.centerMomentum);
      this.center.assign(next);
      next.dispose();
    }
    const momentum = teacherMomentum(step, ctx.totalSteps, c.teacherMomentumBase);
    this.updateTeacher(momentum);
    const value = (await loss.data())[0];
    tf.dispose([loss, ...crops, ...teacherOut]);
    this.steps = step + 1;
    return { loss: value, momentum };
  }

  /** The teacher's features (its class token), what k-NN reads, `[B, D]`. */
  features(xs: tf.Tensor4D, which: 'teacher' | 'student' = 'teacher'): tf.Tensor2D {
    return tf.tidy(() => ((which === 'teacher' ? this.teacher : this.student).predict(xs) as tf.Tensor[])[0] as tf.Tensor2D);
  }

  /** The teacher's output distributions as the loss uses them (centred, at its temperature), `[B, K]`. */
  teacherProbs(xs: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(tf.div(tf.sub((this.teacher.predict(xs) as tf.Tensor[])[1], this.center), this.teacherTemperature)) as tf.Tensor2D);
  }

  /** How collapsed the teacher is on these images: entropy, spread, the winning prototype's share. */
  async collapseStats(xs: tf.Tensor4D): Promise<CollapseStats> {
    const p = this.teacherProbs(xs);
    const [n, k] = p.shape;
    const probs = await p.data();
    p.dispose();
    const mean = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) mean[j] += probs[i * k + j] / n;
    let entropy = 0;
    let spread = 0;
    const wins = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      let best = 0;
      let d = 0;
      for (let j = 0; j < k; j++) {
        const v = probs[i * k + j];
        if (v > 0) entropy -= (v * Math.log(v)) / n;
        d += Math.abs(v - mean[j]);
        if (v > probs[i * k + best]) best = j;
      }
      spread += d / 2 / n;
      wins.set(best, (wins.get(best) ?? 0) + 1);
    }
    return { entropy, maxEntropy: Math.log(k), spread, topShare: Math.max(...wins.values()) / n, distinct: wins.size };
  }

  dispose(): void {
    this.student.dispose();
    this.teacher.dispose();
    this.center.dispose();
  }
}

/** A fresh DINO; `config` overrides DINO_TINY's fields. */
export function createDino(config: Partial<DinoConfig> = {}): Dino {
  return new Dino({ ...DINO_TINY, ...config });
}
