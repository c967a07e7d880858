import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';
import { nextMacrotask } from '../../util/next-macrotask';
import type { PixelBox, SelectiveSearchOptions } from '../proposals/index';
import { checkDetectOptions } from '../pretrained/check-options';
import type { DetectOptions, Detection } from '../pretrained/types';
import { batchImagePixels, proposeRegions, sampleRegions, sceneImagePixels, SCENE_SELECTIVE_SEARCH, type RegionBatch, type RegionSampleConfig } from './rcnn-regions';
import { postprocessDetections, roiHeadLoss, type RawDetections } from './roi-head';
import type { SceneImage } from './scene-input';

export interface RcnnConfig {
  numClasses: number;
  /** `classNames[classId]` (default the ids as strings). */
  classNames?: readonly string[];
  /** Image channels (default 1). */
  channels?: number;
  /** Side of the square scenes it is benchmarked on (default 128); any image size works. */
  inputSize?: number;
  /** Side of the warped region the CNN sees (the paper: 227; default 32). */
  warpSize?: number;
  /** Pixels of context around the box inside the warped window (the paper: 16 of 227; default 2 of 32). */
  contextPadding?: number;
  /** Channels of the CNN's three conv layers (default 16, 32, 64) and its hidden layer (128). */
  filters?: [number, number, number];
  hidden?: number;
  /** Selective search's settings (default `SCENE_SELECTIVE_SEARCH`) and how many of its boxes to classify (the paper: about 2000). */
  selectiveSearch?: SelectiveSearchOptions;
  maxProposals?: number;
  /** Training regions per image: the paper's 32 foreground + 96 background in 128 (default 64 per image, a quarter foreground). */
  regions?: RegionSampleConfig;
  /** A trained classifier to use instead of a fresh one (e.g. shipped weights); it must have this config's shapes. */
  classifier?: tf.LayersModel;
  seed?: number;
}

/** What `analyse` measured: R-CNN's cost is one CNN forward pass per region. */
export interface RcnnTiming {
  regions: number;
  proposalMs: number;
  /** The CNN over every region, one at a time (warp + forward + read back). */
  cnnMs: number;
  msPerRegion: number;
  totalMs: number;
}

export interface RcnnAnalysis {
  detections: Detection[];
  /** The selective-search boxes that were classified, in its ranking. */
  proposals: PixelBox[];
  /** Per proposal, the softmax over background (index 0) and the classes. */
  probabilities: Float32Array[];
  timing: RcnnTiming;
}

/**
 * R-CNN (Girshick et al., CVPR 2014) at the digit scenes' scale: selective
 * search proposes regions; each region, dilated by `contextPadding` pixels of
 * context, is warped to `warpSize`² and classified by a small CNN, one region
 * at a time, into background or a class; a class-specific box regressor
 * refines the region's box; per-class NMS. Two simplifications, both cheap: the CNN
 * is trained from scratch with softmax (the paper fine-tunes an ImageNet AlexNet,
 * then trains one linear SVM per class on its features), and the box regressor is a
 * second output of the same CNN trained jointly (the paper fits ridge regression
 * on pool5 features afterwards), with torchvision's box coding (weights 10, 10, 5, 5).
 */
export class Rcnn {
  readonly name = 'rcnn';
  readonly numClasses: number;
  readonly classNames: readonly string[];
  readonly channels: number;
  readonly warpSize: number;
  readonly contextPadding: number;
  /** `[S, S, C]` → `[[K, numClasses + 1], [K, 4·(numClasses + 1)]]`. */
  readonly classifier: tf.LayersModel;
  readonly selectiveSearch: SelectiveSearchOptions;
  readonly maxProposals: number;
  private readonly regions: Required<RegionSampleConfig>;
  private readonly seed: number;
  private steps = 0;
  private disposed = false;

  constructor(config: RcnnConfig) {
    const op = 'Rcnn';
    if (typeof config !== 'object' || config === null) fail(op, 'config', 'an object {numClasses, ...}', String(config));
    const { numClasses, channels = 1, warpSize = 32, contextPadding = 2, filters = [16, 32, 64], hidden = 128, maxProposals = 2000, seed = 0 } = config;
    if (!Number.isInteger(numClasses) || numClasses < 1) fail(op, 'numClasses', 'a positive integer', String(numClasses));
    if (!Number.isInteger(channels) || channels < 1) fail(op, 'channels', 'a positive integer', String(channels));
    if (!Number.isInteger(warpSize) || warpSize < 8 || warpSize % 4 !== 0) fail(op, 'warpSize', 'a multiple of 4, at least 8', String(warpSize));
    if (typeof contextPadding !== 'number' || !(contextPadding >= 0) || 2 * contextPadding >= warpSize) fail(op, 'contextPadding', `a number in [0, ${warpSize / 2})`, String(contextPadding));
    if (!Number.isInteger(maxProposals) || maxProposals < 1) fail(op, 'maxProposals', 'a positive integer', String(maxProposals));
    this.numClasses = numClasses;
    this.classNames = config.classNames ?? Array.from({ length: numClasses }, (_, i) => String(i));
    if (this.classNames.length !== numClasses) fail(op, 'classNames', `one name per class (${numClasses})`, `${this.classNames.length}`);
    this.channels = channels;
    this.inputSize = config.inputSize ?? 128;
    this.warpSize = warpSize;
    this.contextPadding = contextPadding;
    this.selectiveSearch = { ...SCENE_SELECTIVE_SEARCH, ...config.selectiveSearch };
    this.maxProposals = maxProposals;
    this.regions = { batchSizePerImage: 64, positiveFraction: 0.25, fgIouThreshold: 0.5, ...config.regions };
    this.seed = seed;
    this.classifier = config.classifier ?? regionClassifier(warpSize, channels, numClasses, filters, hidden, seed);
    const [inShape, outs] = [this.classifier.inputs[0].shape, this.classifier.outputs.map((o) => o.shape)];
    if (inShape[1] !== warpSize || inShape[2] !== warpSize || inShape[3] !== channels || outs.length !== 2 || outs[0][1] !== numClasses + 1 || outs[1][1] !== 4 * (numClasses + 1)) {
      fail(op, 'classifier', `a model from [${warpSize}, ${warpSize}, ${channels}] to [[K, ${numClasses + 1}], [K, ${4 * (numClasses + 1)}]]`, `[${inShape.slice(1)}] → ${JSON.stringify(outs)}`);
    }
  }

  /** Side of the square scenes it is benchmarked on; R-CNN itself takes any size (regions are warped). */
  readonly inputSize: number;

  /** The models holding its weights (what the detector weight files save). */
  get models(): Readonly<Record<string, tf.LayersModel>> {
    return { classifier: this.classifier };
  }

  /** The CNN's trainable weights. */
  get variables(): tf.Variable[] {
    return this.classifier.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /**
   * Regions warped to the CNN's input: `rois` rows (image index, x1, y1, x2, y2) in pixels; each box is
   * dilated so that `contextPadding` pixels of its surroundings show in the window (the paper's warp with
   * context, p = 16), then resampled bilinearly at `warpSize`² bin centres; outside the image reads 0.
   */
  warp(images: tf.Tensor4D, rois: ArrayLike<number>): tf.Tensor4D {
    const [, H, W] = images.shape;
    const S = this.warpSize;
    const K = rois.length / 5;
    const boxes: number[][] = [];
    const index: number[] = [];
    for (let k = 0; k < K; k++) {
      const [b, x1, y1, x2, y2] = Array.from({ length: 5 }, (_, j) => rois[5 * k + j]);
      const grow = this.contextPadding / (S - 2 * this.contextPadding);
      const [dx, dy] = [(x2 - x1) * grow, (y2 - y1) * grow];
      const [a0, a1, c0, c1] = [x1 - dx, x2 + dx, y1 - dy, y2 + dy];
      // Sample i sits at the centre of bin i: a + (i + ½)(b - a)/S in continuous coordinates, minus ½ for array indices.
      const norm = (lo: number, hi: number, n: number) => [(lo + (hi - lo) / (2 * S) - 0.5) / Math.max(n - 1, 1), (hi - (hi - lo) / (2 * S) - 0.5) / Math.max(n - 1, 1)];
      const [ny1, ny2] = norm(c0, c1, H);
      const [nx1, nx2] = norm(a0, a1, W);
      boxes.push([ny1, nx1, ny2, nx2]);
      index.push(b);
    }
    return tf.tidy(() =>
      K === 0
        ? (tf.zeros([0, S, S, images.shape[3]]) as tf.Tensor4D)
        : tf.image.cropAndResize(images, tf.tensor2d(boxes, [K, 4]), tf.tensor1d(index, 'int32'), [S, S], 'bilinear', 0),
    );
  }

  /** Selective search on one image (values in 0..1), the first `maxProposals` boxes. */
  propose(image: SceneImage): PixelBox[] {
    const { shape, data } = sceneImagePixels('propose', image, this.channels);
    return proposeRegions(shape, data, this.selectiveSearch, this.maxProposals);
  }

  /**
   * One step of the course loop: sampled regions of the batch's images (selective search, or
   * `batch.proposals`), warped, classified; cross-entropy over them plus smooth L1 on the foreground's
   * box deltas (`roiHeadLoss`). The regions go through the CNN as one batch here: training is not
   * what the lesson times.
   */
  trainStep(batch: RegionBatch): { loss: tf.Scalar; terms: Record<string, tf.Scalar> } {
    this.checkAlive('trainStep');
    const step = this.steps++;
    const { rois, labels, targets } = sampleRegions('trainStep', batch, (b) => {
      const { shape, data } = batchImagePixels(batch.images, b);
      return proposeRegions(shape, data, this.selectiveSearch, this.maxProposals);
    }, this.regions, this.seed * 1e6 + step * 64);
    const crops = this.warp(batch.images, rois);
    const [cls, box] = this.classifier.apply(crops, { training: true }) as tf.Tensor2D[];
    const head = roiHeadLoss(cls, box, labels, targets);
    tf.dispose([crops, targets]);
    return { loss: tf.add(head.classifier, head.box) as tf.Scalar, terms: { classifier: head.classifier, box: head.box } };
  }

  /** Detects in one image: `analyse(image, options).detections`. */
  async detect(image: SceneImage, options?: DetectOptions): Promise<Detection[]> {
    return (await this.analyse(image, options)).detections;
  }

  /**
   * R-CNN's test time, measured: selective search, then each region warped and classified on its
   * own (a forward pass and a read-back per region, as the paper's pipeline pays for every region),
   * then box regression, per-class NMS (`iouThreshold`) and `scoreThreshold`.
   */
  async analyse(image: SceneImage, options?: DetectOptions): Promise<RcnnAnalysis> {
    this.checkAlive('detect');
    const { scoreThreshold, iouThreshold, maxDetections } = checkDetectOptions(options);
    const t0 = performance.now();
    const { shape, data } = sceneImagePixels('detect', image, this.channels);
    const proposals = proposeRegions(shape, data, this.selectiveSearch, this.maxProposals);
    const t1 = performance.now();
    const x = tf.tensor4d(data, [1, ...shape]);
    const C1 = this.numClasses + 1;
    const logits = new Float32Array(proposals.length * C1);
    const deltas = new Float32Array(proposals.length * 4 * C1);
    try {
      for (let k = 0; k < proposals.length; k++) {
        const [c, d] = tf.tidy(() => {
          const crop = this.warp(x, [0, ...proposals[k]]);
          const [cls, box] = this.classifier.predict(crop) as tf.Tensor[];
          return [cls.dataSync(), box.dataSync()];
        });
        logits.set(c, k * C1);
        deltas.set(d, k * 4 * C1);
        if (k % 32 === 31) await nextMacrotask();
      }
    } finally {
      x.dispose();
    }
    const t2 = performance.now();
    const K = proposals.length;
    let out: RawDetections | null = null;
    let probs: Float32Array = new Float32Array(0);
    // Typed arrays are no TensorContainer: the results leave the tidy through a closure.
    tf.tidy(() => {
      const cls = tf.tensor2d(logits, [K, C1]);
      out = postprocessDetections(cls, tf.tensor2d(deltas, [K, 4 * C1]), proposals.flat(), [shape[0], shape[1]], { scoreThreshold, nmsThreshold: iouThreshold, maxDetections });
      probs = tf.softmax(cls).dataSync() as Float32Array;
    });
    const raw = out! as RawDetections;
    const t3 = performance.now();
    return {
      detections: Array.from(raw.scores, (score, i) => ({
        box: Array.from(raw.boxes.subarray(4 * i, 4 * i + 4)) as Detection['box'],
        score,
        classId: raw.classIds[i],
        label: this.classNames[raw.classIds[i]],
      })),
      proposals,
      probabilities: proposals.map((_, k) => probs.slice(k * C1, (k + 1) * C1)),
      timing: { regions: K, proposalMs: t1 - t0, cnnMs: t2 - t1, msPerRegion: K ? (t2 - t1) / K : 0, totalMs: t3 - t0 },
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.classifier.dispose();
  }

  private checkAlive(op: string): void {
    if (this.disposed) throw new Error(`${op}: this detector was disposed; build or load it again.`);
  }
}

/** R-CNN's region CNN: three conv + max-pool stages, a hidden layer, class logits (background first) and class-specific box deltas. */
function regionClassifier(S: number, C: number, numClasses: number, filters: [number, number, number], hidden: number, seed: number): tf.LayersModel {
  const x = tf.input({ shape: [S, S, C], name: 'rcnn_input' });
  let h: tf.SymbolicTensor = x;
  filters.forEach((f, i) => {
    h = tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + i }), name: `rcnn_conv${i + 1}` }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.maxPooling2d({ poolSize: 2, name: `rcnn_pool${i + 1}` }).apply(h) as tf.SymbolicTensor;
  });
  h = tf.layers.flatten({ name: 'rcnn_flatten' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + 10 }), name: 'rcnn_fc' }).apply(h) as tf.SymbolicTensor;
  const cls = tf.layers.dense({ units: numClasses + 1, kernelInitializer: tf.initializers.randomNormal({ stddev: 0.01, seed: seed + 11 }), name: 'rcnn_cls_score' }).apply(h) as tf.SymbolicTensor;
  const box = tf.layers.dense({ units: 4 * (numClasses + 1), kernelInitializer: tf.initializers.randomNormal({ stddev: 0.001, seed: seed + 12 }), name: 'rcnn_bbox_pred' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: [cls, box], name: 'rcnn_classifier' });
}

/**
 * Builds an R-CNN (see `Rcnn`).
 *
 * @example
 * const det = createRcnn({numClasses: 10, classNames: data.DIGIT_CLASSES});
 * const {detections, timing} = await det.analyse(scene); // timing.msPerRegion: one CNN pass per region
 */
export function createRcnn(config: RcnnConfig): Rcnn {
  return new Rcnn(config);
}
