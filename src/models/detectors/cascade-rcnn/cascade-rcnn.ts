import * as tf from '@tensorflow/tfjs';
import { fail } from '../../../util/validate';
import { buildRoiHead } from '../../heads/index';
import { checkDetectOptions } from '../../pretrained/check-options';
import type { DetectOptions, Detection } from '../../pretrained/types';
import { FasterRcnn, type DetectionBatch, type FasterRcnnConfig } from '../faster-rcnn';
import type { TrainableDetector } from '../types';
import { postprocessDetections, roiHeadLoss, type RawDetections } from '../roi-head';
import { sceneImageBatch, type SceneImage } from '../scene-input';
import { bestForegroundClass, regressByClass } from './refine';
import { nextStageProposals, stageTargets } from './stage-targets';

/** One stage of the cascade. */
export interface CascadeStage {
  /** RoIs with IoU >= this are this stage's foreground (and < it background). */
  iou: number;
  /** Weight of this stage's classifier + box loss in the total. */
  lossWeight: number;
  /**
   * Box coder scale: this stage's targets are encoded with weights `scale · (10, 10, 5, 5)`,
   * i.e. stds (0.1, 0.1, 0.2, 0.2) / scale. Later stages see boxes already close to their
   * objects, so their deltas are smaller and a larger scale keeps the targets at unit size.
   */
  coderScale: number;
}

/**
 * mmdetection's cascade_rcnn_r50_fpn config (Cai & Vasconcelos, CVPR 2018): IoU 0.5 / 0.6 / 0.7,
 * stage loss weights 1 / 0.5 / 0.25, target stds 0.1/0.2 → 0.05/0.1 → 0.033/0.067.
 */
export const CASCADE_STAGES: readonly CascadeStage[] = Object.freeze([
  { iou: 0.5, lossWeight: 1, coderScale: 1 },
  { iou: 0.6, lossWeight: 0.5, coderScale: 2 },
  { iou: 0.7, lossWeight: 0.25, coderScale: 3 },
]);

export interface CascadeRcnnConfig extends FasterRcnnConfig {
  /** The stages, first to last (default `CASCADE_STAGES`). `roi.fgIouThreshold` is unused: each stage has its own. */
  stages?: readonly CascadeStage[];
}

/** Which stages' outputs `detect` uses: 'cascade' (the mean of every stage's class scores, the last stage's boxes) or one stage, 1-based. */
export type CascadeOutput = 'cascade' | number;

export interface CascadeDetectOptions extends DetectOptions {
  output?: CascadeOutput;
}

/** What `stagesOf` returns for one scene: each stage's input boxes, its class probabilities and its regressed boxes. */
export interface StageOutputs {
  /** `[K, 4]` flat, the boxes the stage pooled (stage 1: the RPN's proposals). */
  inputs: Float32Array;
  /** `[K, numClasses + 1]` flat softmax, index 0 background. */
  probs: Float32Array;
  /** `[K, 4]` flat, each input box regressed with the deltas of its best foreground class. */
  refined: Float32Array;
  /** `[K]` that best foreground class (1-based). */
  classes: Int32Array;
}

const OP = 'CascadeRcnn';

/**
 * Cascade R-CNN (Cai & Vasconcelos, CVPR 2018) on Faster R-CNN + FPN: the same
 * body (backbone → FPN → RPN) and proposals as `FasterRcnn`, then three box
 * heads in a row. While training, stage t samples its RoIs from the previous
 * stage's regressed boxes (plus the ground truth) at its own IoU threshold, so
 * each head learns on the box distribution it will see, and its loss is
 * weighted (1, 0.5, 0.25). Detecting, the proposals go through the three heads
 * one after another; the score of a box is the mean of the three heads' class
 * probabilities and its box the last head's regression (the paper's ensemble,
 * section 4.3; mmdetection's CascadeRoIHead). The base detector's box head is
 * stage 1's head: `base.detect` is the single-stage detector inside the cascade.
 */
export class CascadeRcnn implements TrainableDetector {
  readonly name = 'cascade-rcnn';
  readonly base: FasterRcnn;
  /** One box head per stage; `heads[0]` is `base.boxHead`. */
  readonly heads: tf.LayersModel[];
  readonly stages: readonly CascadeStage[];
  private steps = 0;
  private disposed = false;

  constructor(config: CascadeRcnnConfig) {
    const stages = config.stages ?? CASCADE_STAGES;
    if (!Array.isArray(stages) || stages.length === 0) fail(OP, 'stages', 'a non-empty array of {iou, lossWeight, coderScale}', JSON.stringify(stages));
    stages.forEach((s, i) => {
      if (!(s?.iou > 0 && s.iou < 1)) fail(OP, `stages[${i}].iou`, 'a number in (0, 1)', String(s?.iou));
      if (!(s.lossWeight >= 0) || !Number.isFinite(s.lossWeight)) fail(OP, `stages[${i}].lossWeight`, 'a finite number >= 0', String(s.lossWeight));
      if (!(s.coderScale > 0) || !Number.isFinite(s.coderScale)) fail(OP, `stages[${i}].coderScale`, 'a positive number', String(s.coderScale));
    });
    this.stages = stages.map((s) => ({ ...s }));
    this.base = new FasterRcnn(config);
    const shape = this.base.boxHead.inputs[0].shape;
    const inputShape = [shape[1], shape[2], shape[3]] as [number, number, number];
    const seed = config.seed ?? 0;
    this.heads = [
      this.base.boxHead,
      ...this.stages.slice(1).map((_, i) =>
        buildRoiHead(config.roiHead ?? 'two-mlp', { inputShape, numClasses: this.base.numClasses, hidden: this.base.roi.hidden, name: `box_head_${i + 2}`, seed: seed + 101 * (i + 1) }),
      ),
    ];
  }

  get inputShape(): [number, number, number] {
    return this.base.inputShape;
  }

  /** Side of the square scene it takes. */
  get inputSize(): number {
    return this.base.inputSize;
  }

  get numClasses(): number {
    return this.base.numClasses;
  }

  get classNames(): readonly string[] {
    return this.base.classNames;
  }

  /** The LayersModels holding every weight, by name (what `detectorToFiles` saves). */
  get models(): Readonly<Record<string, tf.LayersModel>> {
    return Object.fromEntries([['body', this.base.body], ...this.heads.map((h, t) => [`head${t + 1}`, h] as const)]);
  }

  /** Everything `trainStep` trains: the body's weights and every stage's head. */
  get variables(): tf.Variable[] {
    return [...this.base.variables, ...this.heads.slice(1).flatMap((h) => h.trainableWeights.map((w) => w.read() as tf.Variable))];
  }

  /**
   * The losses of one batch, unweighted, by name: `rpnObjectness`, `rpnBox`, then `classifier{t}` and
   * `box{t}` for each stage t = 1, 2, 3. `totalLoss` weighs them (call inside the optimizer's minimize).
   */
  losses(batch: DetectionBatch): Record<string, tf.Scalar> {
    this.checkAlive('losses');
    const { images, boxes: gt, labels } = batch;
    const B = images.shape[0];
    if (gt.length !== B || labels.length !== B) fail('losses', 'batch', `boxes and labels for each of the ${B} images`, `${gt.length} and ${labels.length}`);
    const step = this.steps++;
    const base = this.base;
    const { features, objectness, deltas } = base.run(images, true);
    const rpn = base.rpnLossOf(objectness, deltas, gt, step);
    const terms: Record<string, tf.Scalar> = { rpnObjectness: rpn.objectness, rpnBox: rpn.box };
    let proposals: ArrayLike<number>[] = base.proposalsOf(objectness, deltas, {
      preNmsTopN: base.rpn.preNmsTopNTrain, postNmsTopN: base.rpn.postNmsTopNTrain, nmsThreshold: base.rpn.nmsThreshold,
    });
    const [H, W] = base.inputShape;
    this.stages.forEach((stage, t) => {
      const { rois, flat, targets } = stageTargets(proposals, gt, labels, stage, {
        batchSizePerImage: base.roi.batchSizePerImage, positiveFraction: base.roi.positiveFraction, seed: base.seed * 1e6 + step * 64 + 32 + 8 * t,
      });
      const [cls, box] = this.heads[t].apply(base.poolRois(features, flat), { training: true }) as tf.Tensor2D[];
      const head = roiHeadLoss(cls, box, rois.map((r) => r.label), targets);
      terms[`classifier${t + 1}`] = head.classifier;
      terms[`box${t + 1}`] = head.box;
      if (t < this.stages.length - 1) proposals = nextStageProposals(rois, cls, box, gt, stage.coderScale, [H, W]);
    });
    return terms;
  }

  /** The training loss: RPN objectness + RPN box + Σ_t w_t (classifier_t + box_t). */
  totalLoss(terms: Record<string, tf.Scalar>): tf.Scalar {
    return tf.tidy(() => {
      const parts: tf.Scalar[] = [terms.rpnObjectness, terms.rpnBox];
      this.stages.forEach((s, t) => parts.push(tf.mul(tf.add(terms[`classifier${t + 1}`], terms[`box${t + 1}`]), s.lossWeight) as tf.Scalar));
      return tf.addN(parts) as tf.Scalar;
    });
  }

  /** One step of the course loop: the weighted loss and every term for per-loss curves. */
  trainStep(batch: DetectionBatch): { loss: tf.Scalar; terms: Record<string, tf.Scalar> } {
    const terms = this.losses(batch);
    return { loss: this.totalLoss(terms), terms };
  }

  /**
   * Runs every stage on one scene: the RPN's proposals (or the `boxes` given, flat x1,y1,x2,y2 in pixels)
   * through stage 1, its regressed boxes through stage 2, and so on. Each stage's inputs, class
   * probabilities, and boxes regressed with the best foreground class. With `classes` (1-based, one per
   * given box) every stage regresses with those classes instead (the lesson's IoU-in / IoU-out figure
   * regresses jittered ground truth with its own class).
   */
  stagesOf(image: SceneImage, options: { boxes?: ArrayLike<number>; classes?: ArrayLike<number>; independent?: boolean } = {}): StageOutputs[] {
    this.checkAlive('stagesOf');
    const { classes, independent = false } = options;
    if (options.boxes !== undefined && options.boxes.length % 4 !== 0) fail('stagesOf', 'boxes', 'flat x1,y1,x2,y2 values (a multiple of 4)', `${options.boxes.length} values`);
    if (classes !== undefined && (options.boxes === undefined || classes.length * 4 !== options.boxes.length)) fail('stagesOf', 'classes', 'one class per given box (needs boxes)', `${classes.length}`);
    const x = sceneImageBatch('stagesOf', image, this.inputShape);
    const [H, W] = this.inputShape;
    const C = this.numClasses + 1;
    const out: StageOutputs[] = [];
    try {
      tf.tidy(() => {
        const { features, objectness, deltas } = this.base.run(x, false);
        let inputs =
          options.boxes !== undefined
            ? Float32Array.from(options.boxes)
            : this.base.proposalsOf(objectness, deltas, { preNmsTopN: this.base.rpn.preNmsTopNTest, postNmsTopN: this.base.rpn.postNmsTopNTest, nmsThreshold: this.base.rpn.nmsThreshold })[0];
        const first = inputs;
        this.stages.forEach((stage, t) => {
          const K = inputs.length / 4;
          const rois = new Float32Array(K * 5);
          for (let k = 0; k < K; k++) rois.set(inputs.subarray(4 * k, 4 * k + 4), 5 * k + 1);
          const [cls, box] = this.heads[t].predict(this.base.poolRois(features, rois)) as tf.Tensor2D[];
          const probs = tf.softmax(cls).dataSync() as Float32Array;
          const picked = classes !== undefined ? Int32Array.from(classes) : bestForegroundClass(probs, C);
          const refined = regressByClass(inputs, box, picked, stage.coderScale, [H, W]);
          out.push({ inputs, probs, refined, classes: picked });
          inputs = independent ? first : refined;
        });
      });
      return out;
    } finally {
      x.dispose();
    }
  }

  /**
   * Detects digits in one scene (`[H, W, 1]` tensor in 0..1, or a `Scene`): boxes `[x1, y1, x2, y2]` in pixels,
   * best first. `output: 'cascade'` (default) scores each box by the mean of the stages' class probabilities
   * and places it by the last stage; `output: t` uses stage t's scores and boxes alone (its input still
   * comes through stages 1..t-1).
   */
  async detect(image: SceneImage, options?: CascadeDetectOptions): Promise<Detection[]> {
    const { output = 'cascade', ...rest } = options ?? {};
    return (await this.detectEach(image, [output], rest))[0];
  }

  /** `detect` for several outputs from one pass through the body and the stages (what the lesson's comparisons use). */
  async detectEach(image: SceneImage, outputs: CascadeOutput[], options?: DetectOptions): Promise<Detection[][]> {
    this.checkAlive('detect');
    const { scoreThreshold, iouThreshold, maxDetections } = checkDetectOptions(options);
    const T = this.stages.length;
    for (const o of outputs) if (o !== 'cascade' && !(Number.isInteger(o) && o >= 1 && o <= T)) fail('detect', 'output', `'cascade' or a stage 1..${T}`, String(o));
    const x = sceneImageBatch('detect', image, this.inputShape);
    const [H, W] = this.inputShape;
    const post = { scoreThreshold, nmsThreshold: iouThreshold, maxDetections };
    const raw: RawDetections[] = [];
    try {
      tf.tidy(() => {
        const { features, objectness, deltas } = this.base.run(x, false);
        let inputs = this.base.proposalsOf(objectness, deltas, { preNmsTopN: this.base.rpn.preNmsTopNTest, postNmsTopN: this.base.rpn.postNmsTopNTest, nmsThreshold: this.base.rpn.nmsThreshold })[0];
        const last = Math.max(...outputs.map((o) => (o === 'cascade' ? T : o)));
        const probs: tf.Tensor2D[] = [];
        const byOutput = new Map<CascadeOutput, RawDetections>();
        for (let t = 0; t < last; t++) {
          const K = inputs.length / 4;
          const rois = new Float32Array(K * 5);
          for (let k = 0; k < K; k++) rois.set(inputs.subarray(4 * k, 4 * k + 4), 5 * k + 1);
          const [cls, box] = this.heads[t].predict(this.base.poolRois(features, rois)) as tf.Tensor2D[];
          probs.push(tf.softmax(cls));
          const scaled = tf.div(box, this.stages[t].coderScale) as tf.Tensor2D;
          // postprocessDetections softmaxes logits; the log of a distribution is logits whose softmax is that distribution.
          const asLogits = (p: tf.Tensor2D) => tf.log(tf.maximum(p, 1e-30)) as tf.Tensor2D;
          if (outputs.includes(t + 1)) byOutput.set(t + 1, postprocessDetections(asLogits(probs[t]), scaled, inputs, [H, W], post));
          if (t === T - 1 && outputs.includes('cascade')) byOutput.set('cascade', postprocessDetections(asLogits(tf.div(tf.addN(probs), T) as tf.Tensor2D), scaled, inputs, [H, W], post));
          if (t < last - 1) inputs = regressByClass(inputs, box, bestForegroundClass(probs[t].dataSync(), this.numClasses + 1), this.stages[t].coderScale, [H, W]);
        }
        for (const o of outputs) raw.push(byOutput.get(o)!);
      });
      return raw.map((d) =>
        Array.from(d.scores, (score, i) => ({
          box: Array.from(d.boxes.subarray(4 * i, 4 * i + 4)) as Detection['box'],
          score,
          classId: d.classIds[i],
          label: this.classNames[d.classIds[i]],
        })),
      );
    } finally {
      x.dispose();
    }
  }

  /** Frees every weight; the detector cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.base.dispose();
    for (const h of this.heads.slice(1)) h.dispose();
  }

  private checkAlive(op: string): void {
    if (this.disposed) throw new Error(`${op}: this detector was disposed; build or load it again.`);
  }
}

/**
 * Builds a Cascade R-CNN on a backbone (see `CascadeRcnn`); the options are Faster R-CNN's plus `stages`.
 *
 * @example
 * const det = createCascadeRcnn({backbone: buildBackbone('resnet18', {inputShape: [128, 128, 1], widthMultiplier: 0.125, features: true}), numClasses: 10});
 * for await (const e of train({step: (b) => det.trainStep(b), variables: det.variables, data, steps: 300})) { ... }
 */
export function createCascadeRcnn(config: CascadeRcnnConfig): CascadeRcnn {
  return new CascadeRcnn(config);
}
