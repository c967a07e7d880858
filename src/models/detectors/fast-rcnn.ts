import * as tf from '@tensorflow/tfjs';
import { roiAlign, roiPool } from '../../core/index';
import { assertOneOf, fail } from '../../util/validate';
import { buildRoiHead } from '../heads/index';
import type { PixelBox, SelectiveSearchOptions } from '../proposals/index';
import { checkDetectOptions } from '../pretrained/check-options';
import type { DetectOptions, Detection } from '../pretrained/types';
import { batchImagePixels, proposeRegions, sampleRegions, sceneImagePixels, SCENE_SELECTIVE_SEARCH, type RegionBatch, type RegionSampleConfig } from './rcnn-regions';
import { postprocessDetections, roiHeadLoss, type RawDetections } from './roi-head';
import type { SceneImage } from './scene-input';

export const ROI_POOLERS = ['roiPool', 'roiAlign'] as const;
export type RoiPooler = (typeof ROI_POOLERS)[number];

export interface FastRcnnConfig {
  numClasses: number;
  classNames?: readonly string[];
  /** Input `[H, W, C]` (default 128 x 128 x 1: the scene benchmark's). */
  inputShape?: [number, number, number];
  /** Channels of the feature body's stages: one 3x3 conv at full size, then per further stage a stride-2 and a stride-1 conv (default 16, 24, 32: stride 4). */
  filters?: number[];
  /** How each RoI becomes a fixed map: the paper's RoIPool (max over quantised bins) or RoIAlign (bilinear samples). Default 'roiPool'. */
  pooler?: RoiPooler;
  /** Bins per side of a pooled RoI (the paper: 7) and, for RoIAlign, samples per bin side (2). */
  outputSize?: number;
  samplingRatio?: number;
  /** Width of the head's two hidden layers (the paper's fc6/fc7: 4096; default 128). */
  hidden?: number;
  selectiveSearch?: SelectiveSearchOptions;
  maxProposals?: number;
  /** Training RoIs per image (the paper: 64, a quarter foreground). */
  regions?: RegionSampleConfig;
  /** Trained models to use instead of fresh ones (shipped weights), with this config's shapes. */
  body?: tf.LayersModel;
  head?: tf.LayersModel;
  seed?: number;
}

export interface FastRcnnTiming {
  regions: number;
  proposalMs: number;
  /** The one feature map of the image. */
  featureMs: number;
  /** Pooling every RoI from it and the head over all of them at once. */
  headMs: number;
  msPerRegion: number;
  totalMs: number;
}

export interface FastRcnnAnalysis {
  detections: Detection[];
  proposals: PixelBox[];
  timing: FastRcnnTiming;
}

/**
 * Fast R-CNN (Girshick, ICCV 2015) at the digit scenes' scale: a conv body
 * computes ONE feature map per image; each selective-search RoI is pooled
 * from that map to `outputSize`² bins (`core.roiPool` as the paper, or
 * `core.roiAlign`), and a two-layer head (`buildRoiHead('two-mlp')`) gives class
 * logits (background first) and class-specific box deltas; the multi-task loss is
 * cross-entropy plus smooth L1 on the foreground's deltas (`roiHeadLoss`, torchvision's
 * fastrcnn_loss). Trained end to end with the course loop (`trainStep`).
 */
export class FastRcnn {
  readonly name = 'fast-rcnn';
  readonly numClasses: number;
  readonly classNames: readonly string[];
  readonly inputShape: [number, number, number];
  /** Image → `[1, H/stride, W/stride, C]` feature map. */
  readonly body: tf.LayersModel;
  /** `[K, n, n, C]` pooled RoIs → `[[K, numClasses + 1], [K, 4·(numClasses + 1)]]`. */
  readonly head: tf.LayersModel;
  readonly stride: number;
  readonly pooler: RoiPooler;
  readonly outputSize: number;
  readonly samplingRatio: number;
  readonly selectiveSearch: SelectiveSearchOptions;
  readonly maxProposals: number;
  private readonly regions: Required<RegionSampleConfig>;
  private readonly seed: number;
  private steps = 0;
  private disposed = false;

  constructor(config: FastRcnnConfig) {
    const op = 'FastRcnn';
    if (typeof config !== 'object' || config === null) fail(op, 'config', 'an object {numClasses, ...}', String(config));
    const { numClasses, inputShape = [128, 128, 1], filters = [16, 24, 32], pooler = 'roiPool', outputSize = 7, samplingRatio = 2, hidden = 128, maxProposals = 2000, seed = 0 } = config;
    if (!Number.isInteger(numClasses) || numClasses < 1) fail(op, 'numClasses', 'a positive integer', String(numClasses));
    if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every((v) => Number.isInteger(v) && v > 0)) fail(op, 'inputShape', 'a [height, width, channels] of positive integers', JSON.stringify(inputShape));
    if (!Array.isArray(filters) || filters.length < 1 || !filters.every((v) => Number.isInteger(v) && v > 0)) fail(op, 'filters', 'a non-empty array of positive integers', JSON.stringify(filters));
    assertOneOf(op, 'pooler', pooler, ROI_POOLERS);
    if (!Number.isInteger(outputSize) || outputSize < 1) fail(op, 'outputSize', 'a positive integer', String(outputSize));
    if (!Number.isInteger(maxProposals) || maxProposals < 1) fail(op, 'maxProposals', 'a positive integer', String(maxProposals));
    this.numClasses = numClasses;
    this.classNames = config.classNames ?? Array.from({ length: numClasses }, (_, i) => String(i));
    if (this.classNames.length !== numClasses) fail(op, 'classNames', `one name per class (${numClasses})`, `${this.classNames.length}`);
    this.inputShape = [...inputShape] as [number, number, number];
    this.stride = 2 ** (filters.length - 1);
    this.pooler = pooler;
    this.outputSize = outputSize;
    this.samplingRatio = samplingRatio;
    this.selectiveSearch = { ...SCENE_SELECTIVE_SEARCH, ...config.selectiveSearch };
    this.maxProposals = maxProposals;
    this.regions = { batchSizePerImage: 64, positiveFraction: 0.25, fgIouThreshold: 0.5, ...config.regions };
    this.seed = seed;
    this.body = config.body ?? featureBody(this.inputShape, filters, seed);
    const map = this.body.outputs[0].shape;
    const [H, W] = this.inputShape;
    if (this.body.outputs.length !== 1 || map[1] !== H / this.stride || map[2] !== W / this.stride) {
      fail(op, 'body', `a model with one output at stride ${this.stride} ([${H / this.stride}, ${W / this.stride}, C])`, JSON.stringify(this.body.outputs.map((o) => o.shape)));
    }
    const channels = map[3] as number;
    this.head = config.head ?? buildRoiHead('two-mlp', { inputShape: [outputSize, outputSize, channels], numClasses, hidden, name: 'fast_rcnn_head', seed });
    const hIn = this.head.inputs[0].shape;
    if (hIn[1] !== outputSize || hIn[2] !== outputSize || hIn[3] !== channels) fail(op, 'head', `a model from [${outputSize}, ${outputSize}, ${channels}]`, `[${hIn.slice(1)}]`);
  }

  /** Side of the square scenes it takes (its input's). */
  get inputSize(): number {
    return this.inputShape[0];
  }

  /** The models holding its weights (what the detector weight files save). */
  get models(): Readonly<Record<string, tf.LayersModel>> {
    return { body: this.body, head: this.head };
  }

  get variables(): tf.Variable[] {
    return [...this.body.trainableWeights, ...this.head.trainableWeights].map((w) => w.read() as tf.Variable);
  }

  /** RoIs `[K, 5]` (image index, x1, y1, x2, y2) in pixels, pooled from the feature map by the chosen pooler. */
  pool(features: tf.Tensor4D, rois: tf.Tensor2D | number[][], pooler: RoiPooler = this.pooler): tf.Tensor4D {
    assertOneOf('pool', 'pooler', pooler, ROI_POOLERS);
    const spatialScale = 1 / this.stride;
    return pooler === 'roiPool'
      ? roiPool(features, rois, { outputSize: this.outputSize, spatialScale })
      : roiAlign(features, rois, { outputSize: this.outputSize, spatialScale, samplingRatio: this.samplingRatio });
  }

  /** Selective search on one image, the first `maxProposals` boxes. */
  propose(image: SceneImage): PixelBox[] {
    const { shape, data } = sceneImagePixels('propose', image, this.inputShape[2]);
    return proposeRegions(shape, data, this.selectiveSearch, this.maxProposals);
  }

  /** One step of the course loop: the multi-task loss of the batch's sampled RoIs, `{loss, terms: {classifier, box}}`. */
  trainStep(batch: RegionBatch): { loss: tf.Scalar; terms: Record<string, tf.Scalar> } {
    this.checkAlive('trainStep');
    const step = this.steps++;
    const { rois, labels, targets } = sampleRegions('trainStep', batch, (b) => {
      const { shape, data } = batchImagePixels(batch.images, b);
      return proposeRegions(shape, data, this.selectiveSearch, this.maxProposals);
    }, this.regions, this.seed * 1e6 + step * 64);
    const features = this.body.apply(batch.images, { training: true }) as tf.Tensor4D;
    const K = labels.length;
    const pooled = this.pool(features, tf.tensor2d(rois, [K, 5]));
    const [cls, box] = this.head.apply(pooled, { training: true }) as tf.Tensor2D[];
    const head = roiHeadLoss(cls, box, labels, targets);
    targets.dispose();
    return { loss: tf.add(head.classifier, head.box) as tf.Scalar, terms: { classifier: head.classifier, box: head.box } };
  }

  async detect(image: SceneImage, options?: DetectOptions): Promise<Detection[]> {
    return (await this.analyse(image, options)).detections;
  }

  /** Fast R-CNN's test time, measured: selective search, one feature map, every RoI pooled from it, the head once over all RoIs. */
  async analyse(image: SceneImage, options?: DetectOptions): Promise<FastRcnnAnalysis> {
    this.checkAlive('detect');
    const { scoreThreshold, iouThreshold, maxDetections } = checkDetectOptions(options);
    const t0 = performance.now();
    const { shape, data } = sceneImagePixels('detect', image, this.inputShape[2]);
    if (shape[0] !== this.inputShape[0] || shape[1] !== this.inputShape[1]) fail('detect', 'image', `a ${this.inputShape[1]}x${this.inputShape[0]} image (the body's input)`, `${shape[1]}x${shape[0]}`);
    const proposals = proposeRegions(shape, data, this.selectiveSearch, this.maxProposals);
    const t1 = performance.now();
    const x = tf.tensor4d(data, [1, ...shape]);
    const features = this.body.predict(x) as tf.Tensor4D;
    await features.data();
    const t2 = performance.now();
    const K = proposals.length;
    let out: RawDetections | null = null;
    // Typed arrays are no TensorContainer: the result leaves the tidy through a closure.
    tf.tidy(() => {
      const pooled = this.pool(features, proposals.map((p) => [0, ...p]));
      const [cls, box] = this.head.predict(pooled) as tf.Tensor2D[];
      out = postprocessDetections(cls, box, proposals.flat(), [shape[0], shape[1]], { scoreThreshold, nmsThreshold: iouThreshold, maxDetections });
    });
    const raw = out! as RawDetections;
    tf.dispose([x, features]);
    const t3 = performance.now();
    return {
      detections: Array.from(raw.scores, (score, i) => ({
        box: Array.from(raw.boxes.subarray(4 * i, 4 * i + 4)) as Detection['box'],
        score,
        classId: raw.classIds[i],
        label: this.classNames[raw.classIds[i]],
      })),
      proposals,
      timing: { regions: K, proposalMs: t1 - t0, featureMs: t2 - t1, headMs: t3 - t2, msPerRegion: K ? (t3 - t1) / K : 0, totalMs: t3 - t0 },
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.body.dispose();
    this.head.dispose();
  }

  private checkAlive(op: string): void {
    if (this.disposed) throw new Error(`${op}: this detector was disposed; build or load it again.`);
  }
}

/** 3x3 convs with ReLU: one at full size, then a stride-2 and a stride-1 conv per further stage (few channels at full size keep it cheap). */
function featureBody(inputShape: [number, number, number], filters: number[], seed: number): tf.LayersModel {
  const x = tf.input({ shape: inputShape, name: 'fast_rcnn_input' });
  let h: tf.SymbolicTensor = x;
  filters.forEach((f, i) => {
    for (let j = 0; j < (i === 0 ? 1 : 2); j++) {
      h = tf.layers.conv2d({
        filters: f, kernelSize: 3, strides: i > 0 && j === 0 ? 2 : 1, padding: 'same', activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: seed + 2 * i + j }), name: `fast_rcnn_conv${i + 1}_${j + 1}`,
      }).apply(h) as tf.SymbolicTensor;
    }
  });
  return tf.model({ inputs: x, outputs: h, name: 'fast_rcnn_body' });
}

/**
 * Builds a Fast R-CNN (see `FastRcnn`).
 *
 * @example
 * const det = createFastRcnn({numClasses: 10, pooler: 'roiAlign'});
 * for await (const e of train({step: (b) => det.trainStep(b), variables: det.variables, data, steps: 300})) { ... }
 */
export function createFastRcnn(config: FastRcnnConfig): FastRcnn {
  return new FastRcnn(config);
}
