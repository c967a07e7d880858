import * as tf from '@tensorflow/tfjs';
import { cellAnchors, decodeBoxes, gridAnchors } from '../../core/index';
import { fail } from '../../util/validate';
import { buildHead, buildRoiHead } from '../heads/index';
import { buildNeck, neckExtraLevels } from '../necks/index';
import { checkDetectOptions } from '../pretrained/check-options';
import type { DetectOptions, Detection } from '../pretrained/types';
import { canonicalScaleFor, mapLevels } from './level-mapper';
import { multiScaleRoiAlign } from './multi-scale-roi-align';
import { postprocessDetections, roiHeadLoss, sampleRoiTargets, type RawDetections } from './roi-head';
import { filterProposals, labelAnchors, rpnLoss, sampleTargets, type ProposalOptions } from './rpn/index';
import { sceneImageBatch, type SceneImage } from './scene-input';
import type { DetectionBatch, TrainableDetector } from './types';

export interface RpnConfig {
  /** Per level before NMS / after NMS, while training (torchvision 2000 / 2000) and detecting (1000 / 1000). */
  preNmsTopNTrain?: number;
  postNmsTopNTrain?: number;
  preNmsTopNTest?: number;
  postNmsTopNTest?: number;
  nmsThreshold?: number;
  /** Anchors per image trained on and their positive share (256, 0.5). */
  batchSizePerImage?: number;
  positiveFraction?: number;
  /** Anchor labels: IoU >= fg positive, < bg negative (0.7, 0.3). */
  fgIouThreshold?: number;
  bgIouThreshold?: number;
}

export interface RoiConfig {
  /** RoIs per image trained on and their foreground share (512, 0.25). */
  batchSizePerImage?: number;
  positiveFraction?: number;
  /** IoU >= this: foreground (0.5). */
  fgIouThreshold?: number;
  /** Bins per side of the pooled RoI (7) and samples per bin side (2). */
  outputSize?: number;
  samplingRatio?: number;
  /** Width of the box head's hidden layers (torchvision 1024). */
  hidden?: number;
}

export interface FasterRcnnConfig {
  /** A model whose outputs are the stage maps C2..C5 (e.g. `buildBackbone(name, {features: true})`). */
  backbone: tf.LayersModel;
  /** Strides of the backbone's outputs (default 4, 8, 16, 32). */
  backboneStrides?: number[];
  numClasses: number;
  /** Class names, `classNames[classId]` (default the ids as strings). */
  classNames?: readonly string[];
  /** The neck's name in the neck registry (default 'fpn'). */
  neck?: string;
  neckChannels?: number;
  /** Blocks of a repeatable neck (BiFPN, NAS-FPN); default the neck's own. */
  neckRepeats?: number;
  rpnHead?: string;
  roiHead?: string;
  /** Anchor sizes (sides in pixels) per neck level; default three scales per level, 2·stride·2^(0, 1/3, 2/3). */
  anchorSizes?: number[][];
  /** Anchor aspect ratios (height / width), the same on every level (0.5, 1, 2). */
  aspectRatios?: number[];
  /** s0 of the level mapper (default `canonicalScaleFor` the input side). */
  canonicalScale?: number;
  rpn?: RpnConfig;
  roi?: RoiConfig;
  seed?: number;
}

export type { DetectionBatch };

export interface LossTerms {
  rpnObjectness: tf.Scalar;
  rpnBox: tf.Scalar;
  classifier: tf.Scalar;
  box: tf.Scalar;
}

/**
 * Faster R-CNN (Ren et al., NeurIPS 2015) with an FPN neck (Lin et al., 2017),
 * as torchvision's FasterRCNN: backbone → neck → RPN head in one
 * tf.LayersModel (`body`), proposals by decode → clip → remove small → NMS per
 * level → top-k, RoIAlign from each RoI's pyramid level, and a box head
 * (`boxHead`, a second tf.LayersModel). `loss(batch)` is the training step's
 * loss (RPN objectness + RPN box + classifier + box, unweighted as torchvision);
 * `detect(image)` returns boxes in the image's pixels, best first.
 */
export class FasterRcnn implements TrainableDetector {
  readonly name = 'faster-rcnn';
  readonly inputShape: [number, number, number];
  readonly numClasses: number;
  readonly classNames: readonly string[];
  readonly body: tf.LayersModel;
  readonly boxHead: tf.LayersModel;
  /** `[N, 4]` anchors of every neck level, in the RPN head's order. */
  readonly anchors: tf.Tensor2D;
  readonly anchorsPerLevel: number[];
  readonly strides: number[];
  /** How many neck levels RoIs are pooled from (the neck's extra levels feed only the RPN). */
  readonly roiLevels: number;
  readonly canonicalScale: number;
  readonly rpn: Required<RpnConfig>;
  readonly roi: Required<RoiConfig>;
  readonly seed: number;
  private steps = 0;
  private disposed = false;

  constructor(config: FasterRcnnConfig) {
    const op = 'FasterRcnn';
    const { backbone, numClasses, seed = 0 } = config;
    if (!(backbone instanceof tf.LayersModel)) fail(op, 'backbone', 'a tf.LayersModel whose outputs are C2..C5', typeof backbone);
    if (!Number.isInteger(numClasses) || numClasses < 1) fail(op, 'numClasses', 'a positive integer', String(numClasses));
    const shape = backbone.inputs[0].shape;
    this.inputShape = [shape[1], shape[2], shape[3]] as [number, number, number];
    if (this.inputShape.some((v) => !Number.isInteger(v))) fail(op, 'backbone', 'a model with a fixed input size [H, W, C]', `input shape [${shape}]`);
    const backboneStrides = config.backboneStrides ?? [4, 8, 16, 32];
    if (backbone.outputs.length !== backboneStrides.length) fail(op, 'backbone', `${backboneStrides.length} outputs (C2..C5)`, `${backbone.outputs.length}`);
    this.numClasses = numClasses;
    this.classNames = config.classNames ?? Array.from({ length: numClasses }, (_, i) => String(i));
    if (this.classNames.length !== numClasses) fail(op, 'classNames', `one name per class (${numClasses})`, `${this.classNames.length}`);
    this.seed = seed;
    this.rpn = {
      preNmsTopNTrain: 2000, postNmsTopNTrain: 2000, preNmsTopNTest: 1000, postNmsTopNTest: 1000, nmsThreshold: 0.7,
      batchSizePerImage: 256, positiveFraction: 0.5, fgIouThreshold: 0.7, bgIouThreshold: 0.3, ...config.rpn,
    };
    this.roi = { batchSizePerImage: 512, positiveFraction: 0.25, fgIouThreshold: 0.5, outputSize: 7, samplingRatio: 2, hidden: 1024, ...config.roi };

    const neckName = config.neck ?? 'fpn';
    const levels = buildNeck(neckName, backbone.outputs, { channels: config.neckChannels ?? 256, name: 'neck', seed, repeats: config.neckRepeats });
    // Levels halve in size from the backbone's finest stride on (the neck contract).
    const neck = { outputs: levels, strides: levels.map((_, i) => backboneStrides[0] * 2 ** i), roiLevels: levels.length - neckExtraLevels(neckName, backbone.outputs.length) };
    this.strides = neck.strides;
    this.roiLevels = neck.roiLevels;
    const ratios = config.aspectRatios ?? [0.5, 1, 2];
    if (!Array.isArray(ratios) || ratios.length === 0 || ratios.some((r) => typeof r !== 'number' || !(r > 0) || !Number.isFinite(r))) {
      fail(op, 'aspectRatios', 'a non-empty array of positive numbers (height / width)', JSON.stringify(ratios));
    }
    const sizes = config.anchorSizes ?? neck.strides.map((s) => [0, 1 / 3, 2 / 3].map((e) => Math.round(2 * s * 2 ** e)));
    if (!Array.isArray(sizes) || sizes.length !== neck.outputs.length) fail(op, 'anchorSizes', `one list of sizes per neck level (${neck.outputs.length})`, JSON.stringify(sizes));
    const cells = sizes.map((s) => cellAnchors(s, ratios));
    if (cells.some((c) => c.length !== cells[0].length)) fail(op, 'anchorSizes', 'the same number of sizes on every level', JSON.stringify(sizes));
    const A = cells[0].length;
    const rpn = buildHead(config.rpnHead ?? 'rpn', neck.outputs, { numClasses: 1, anchorsPerLocation: A, name: 'rpn', seed });
    if (!rpn.objectness || !rpn.boxDeltas) fail(op, 'rpnHead', 'a head with outputs objectness and boxDeltas', Object.keys(rpn).join(', '));
    this.body = tf.model({ inputs: backbone.inputs, outputs: [...neck.outputs.slice(0, neck.roiLevels), ...rpn.objectness, ...rpn.boxDeltas], name: 'faster_rcnn_body' });
    const featureSizes = neck.outputs.map((o) => [o.shape[1], o.shape[2]] as [number, number]);
    this.anchors = gridAnchors({ featureSizes, strides: neck.strides, cellAnchors: cells });
    this.anchorsPerLevel = featureSizes.map(([h, w]) => h * w * A);
    const channels = neck.outputs[0].shape[3] as number;
    this.boxHead = buildRoiHead(config.roiHead ?? 'two-mlp', {
      inputShape: [this.roi.outputSize, this.roi.outputSize, channels], numClasses, hidden: this.roi.hidden, name: 'box_head', seed,
    });
    this.canonicalScale = config.canonicalScale ?? canonicalScaleFor(Math.max(this.inputShape[0], this.inputShape[1]));
    const total = this.anchors.shape[0];
    for (const k of ['postNmsTopNTrain', 'postNmsTopNTest'] as const) {
      if (this.rpn[k] > total) fail(op, `rpn.${k}`, `at most the number of anchors (${total})`, String(this.rpn[k]));
    }
  }

  /** Everything `loss` trains: the body's and the box head's trainable weights. */
  get variables(): tf.Variable[] {
    return [...this.body.trainableWeights, ...this.boxHead.trainableWeights].map((w) => w.read() as tf.Variable);
  }

  /**
   * Runs the body and splits its outputs into pyramid levels, `[B, N]` objectness logits and `[B, N, 4]`
   * deltas (public so that detectors built on this one's body, e.g. Cascade R-CNN, share it).
   */
  run(images: tf.Tensor4D, training: boolean): { features: tf.Tensor4D[]; objectness: tf.Tensor2D; deltas: tf.Tensor3D } {
    const outs = (training ? this.body.apply(images, { training: true }) : this.body.predict(images)) as tf.Tensor[];
    const L = this.roiLevels;
    const n = this.anchorsPerLevel.length;
    return {
      features: outs.slice(0, L) as tf.Tensor4D[],
      objectness: (n === 1 ? outs[L] : tf.concat(outs.slice(L, L + n), 1)) as tf.Tensor2D,
      deltas: (n === 1 ? outs[L + n] : tf.concat(outs.slice(L + n), 1)) as tf.Tensor3D,
    };
  }

  /** Proposals of each image (no gradient: values are read, as torchvision detaches them). */
  proposalsOf(objectness: tf.Tensor2D, deltas: tf.Tensor3D, options: ProposalOptions): Float32Array[] {
    const [B, N] = objectness.shape;
    const obj = objectness.dataSync();
    const [H, W] = this.inputShape;
    // One decode for the whole batch; the values leave the tensor by hand, as a tidy would walk every element of a returned typed array.
    const decoded = tf.tidy(() => decodeBoxes(tf.reshape(deltas, [B * N, 4]), B === 1 ? this.anchors : tf.tile(this.anchors, [B, 1])));
    const all = decoded.dataSync() as Float32Array;
    decoded.dispose();
    return Array.from({ length: B }, (_, b) =>
      filterProposals({ boxes: all.subarray(4 * b * N, 4 * (b + 1) * N), objectness: obj.subarray(b * N, (b + 1) * N), levelSizes: this.anchorsPerLevel, imageSize: [H, W] }, options).boxes,
    );
  }

  /**
   * The RPN's two losses for one batch: anchors labelled against each image's boxes (IoU >= 0.7 positive,
   * < 0.3 negative), 256 sampled per image at 1:1, BCE + smooth L1 over the sampled (see `rpnLoss`).
   * `step` seeds the sampling with the detector's seed, so a run is reproducible.
   */
  rpnLossOf(objectness: tf.Tensor2D, deltas: tf.Tensor3D, gt: number[][][], step: number): { objectness: tf.Scalar; box: tf.Scalar } {
    const [B, N] = objectness.shape;
    const positive: number[] = [];
    const negative: number[] = [];
    const targets: tf.Tensor2D[] = [];
    for (let b = 0; b < B; b++) {
      const l = labelAnchors(this.anchors, gt[b], { highThreshold: this.rpn.fgIouThreshold, lowThreshold: this.rpn.bgIouThreshold });
      const s = sampleTargets(this.anchors, gt[b], l.labels, l.matchedGt, {
        batchSizePerImage: this.rpn.batchSizePerImage, positiveFraction: this.rpn.positiveFraction, seed: this.seed * 1e6 + step * 64 + b, offset: b * N,
      });
      positive.push(...s.positive);
      negative.push(...s.negative);
      targets.push(s.targets);
    }
    return rpnLoss({ objectness: tf.reshape(objectness, [B * N]), deltas: tf.reshape(deltas, [B * N, 4]), positive, negative, targets: tf.concat(targets, 0) });
  }

  /**
   * RoIAlign of flat (batchIndex, x1, y1, x2, y2) RoIs in input pixels, each from the pyramid level the
   * level mapper picks for its size: `[K, outputSize, outputSize, C]`, the box heads' input.
   */
  poolRois(features: tf.Tensor4D[], rois: Float32Array): tf.Tensor4D {
    const K = rois.length / 5;
    const boxes = new Float32Array(K * 4);
    for (let k = 0; k < K; k++) boxes.set(rois.subarray(5 * k + 1, 5 * k + 5), 4 * k);
    const levels = mapLevels(boxes, { kMin: 2, kMax: 1 + this.roiLevels, canonicalScale: this.canonicalScale });
    return multiScaleRoiAlign(features, this.strides.slice(0, this.roiLevels), rois, levels, this.roi);
  }

  /**
   * The four losses of one batch (call inside the optimizer's minimize, as the course loop does).
   * Sampling is seeded from the detector's seed and its step count, so a run is reproducible.
   */
  loss(batch: DetectionBatch): LossTerms {
    this.checkAlive('loss');
    const { images, boxes: gt, labels } = batch;
    const B = images.shape[0];
    if (gt.length !== B || labels.length !== B) fail('loss', 'batch', `boxes and labels for each of the ${B} images`, `${gt.length} and ${labels.length}`);
    const step = this.steps++;
    const { features, objectness, deltas } = this.run(images, true);
    const rpn = this.rpnLossOf(objectness, deltas, gt, step);
    const proposals = this.proposalsOf(objectness, deltas, { preNmsTopN: this.rpn.preNmsTopNTrain, postNmsTopN: this.rpn.postNmsTopNTrain, nmsThreshold: this.rpn.nmsThreshold });
    // Foreground RoIs of every image first, then background ones: the order roiHeadLoss expects.
    const fg: { b: number; box: ArrayLike<number>; label: number }[] = [];
    const bg: { b: number; box: ArrayLike<number>; label: number }[] = [];
    const roiTargets: tf.Tensor2D[] = [];
    for (let b = 0; b < B; b++) {
      const s = sampleRoiTargets(proposals[b], gt[b], labels[b], {
        fgIouThreshold: this.roi.fgIouThreshold, bgIouThreshold: this.roi.fgIouThreshold,
        batchSizePerImage: this.roi.batchSizePerImage, positiveFraction: this.roi.positiveFraction, seed: this.seed * 1e6 + step * 64 + 32 + b,
      });
      s.labels.forEach((label, i) => (i < s.numPositive ? fg : bg).push({ b, box: s.boxes.subarray(4 * i, 4 * i + 4), label }));
      roiTargets.push(s.targets);
    }
    const rois = [...fg, ...bg];
    const flat = new Float32Array(rois.length * 5);
    rois.forEach((r, i) => {
      flat[5 * i] = r.b;
      flat.set(r.box, 5 * i + 1);
    });
    const pooled = this.poolRois(features, flat);
    const [cls, box] = this.boxHead.apply(pooled, { training: true }) as tf.Tensor2D[];
    const head = roiHeadLoss(cls, box, rois.map((r) => r.label), tf.concat(roiTargets, 0));
    return { rpnObjectness: rpn.objectness, rpnBox: rpn.box, classifier: head.classifier, box: head.box };
  }

  /**
   * One step of the course loop (`train({step: (b) => det.trainStep(b), variables: det.variables, ...})`):
   * the loss to minimise, the sum of the four terms, and the terms for per-loss curves.
   */
  trainStep(batch: DetectionBatch): { loss: tf.Scalar; terms: Record<string, tf.Scalar> } {
    const t = this.loss(batch);
    const loss = tf.addN([t.rpnObjectness, t.rpnBox, t.classifier, t.box]) as tf.Scalar;
    return { loss, terms: { rpnObjectness: t.rpnObjectness, rpnBox: t.rpnBox, classifier: t.classifier, box: t.box } };
  }

  /**
   * Detects digits in one scene (`[H, W, 1]` tensor in 0..1, or a `Scene`) of the detector's input size.
   * Boxes `[x1, y1, x2, y2]` in the image's pixels, best score first.
   */
  async detect(image: SceneImage, options?: DetectOptions): Promise<Detection[]> {
    this.checkAlive('detect');
    const { scoreThreshold, iouThreshold, maxDetections } = checkDetectOptions(options);
    const x = sceneImageBatch('detect', image, this.inputShape);
    const [H, W] = this.inputShape;
    try {
      let out: RawDetections | null = null;
      // Typed arrays are no TensorContainer: the result leaves the tidy through a closure.
      tf.tidy(() => {
        const { features, objectness, deltas } = this.run(x, false);
        const proposals = this.proposalsOf(objectness, deltas, { preNmsTopN: this.rpn.preNmsTopNTest, postNmsTopN: this.rpn.postNmsTopNTest, nmsThreshold: this.rpn.nmsThreshold })[0];
        const K = proposals.length / 4;
        const rois = new Float32Array(K * 5);
        for (let k = 0; k < K; k++) rois.set(proposals.subarray(4 * k, 4 * k + 4), 5 * k + 1);
        const pooled = this.poolRois(features, rois);
        const [cls, box] = this.boxHead.predict(pooled) as tf.Tensor2D[];
        out = postprocessDetections(cls, box, proposals, [H, W], { scoreThreshold, nmsThreshold: iouThreshold, maxDetections });
      });
      const d = out! as RawDetections;
      return Array.from(d.scores, (score, i) => ({
        box: Array.from(d.boxes.subarray(4 * i, 4 * i + 4)) as Detection['box'],
        score,
        classId: d.classIds[i],
        label: this.classNames[d.classIds[i]],
      }));
    } finally {
      x.dispose();
    }
  }

  /** Side of the square scene it takes (`inputShape` is `[side, side, 1]` for the scene detectors). */
  get inputSize(): number {
    return Math.max(this.inputShape[0], this.inputShape[1]);
  }

  /** The models holding every weight, saved and loaded by name (`detectorToFiles`). */
  get models(): Readonly<Record<string, tf.LayersModel>> {
    return { body: this.body, boxHead: this.boxHead };
  }

  /** Frees every weight and the anchors; the detector cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // The body holds the backbone's layers, so disposing it frees the backbone too. A layer applied
    // several times (the RPN head, once per level) counts each use, so its weights outlive the
    // model's dispose: free whatever is left by hand.
    const variables = this.body.weights.map((w) => w.read());
    this.body.dispose();
    for (const v of variables) if (!v.isDisposed) v.dispose();
    this.boxHead.dispose();
    this.anchors.dispose();
  }

  private checkAlive(op: string): void {
    if (this.disposed) throw new Error(`${op}: this detector was disposed; build or load it again.`);
  }
}

/**
 * Builds a Faster R-CNN + FPN on a backbone (see `FasterRcnn`).
 *
 * @example
 * const det = createFasterRcnn({backbone: buildBackbone('resnet_tiny', {inputShape: [128, 128, 1], features: true}), numClasses: 10});
 * for await (const e of train({step: (b) => det.trainStep(b), variables: det.variables, data, steps: 300})) { ... }
 */
export function createFasterRcnn(config: FasterRcnnConfig): FasterRcnn {
  return new FasterRcnn(config);
}
