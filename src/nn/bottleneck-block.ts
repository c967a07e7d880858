import * as tf from '@tensorflow/tfjs';
import { positiveInt, requiredName } from './check-options';
import { convBnAct } from './conv-bn-act';
import { subSeed } from './init';
import { residualJoin } from './residual-shortcut';

export interface BottleneckBlockOptions {
  /** Width of the 1x1 reduction and the 3x3 conv; the block outputs filters * expansion channels. */
  filters: number;
  strides?: number;
  /** Default 4 (ResNet-50/101/152). */
  expansion?: number;
  /** false: the plain twin, same layers without the addition. Default true. */
  shortcut?: boolean;
  name: string;
  seed?: number;
}

/**
 * ResNet's bottleneck block as torchvision builds it ("ResNet v1.5": the
 * stride sits on the 3x3, not the first 1x1): 1x1 reduce - 3x3 - 1x1 expand,
 * each with BN, ReLU between, then the shortcut. Layers `${name}_1_*`,
 * `${name}_2_*`, `${name}_3_*`, `${name}_down_*`, `${name}_add`, `${name}_out`.
 */
export function bottleneckBlock(x: tf.SymbolicTensor, opts: BottleneckBlockOptions): tf.SymbolicTensor {
  const fn = 'bottleneckBlock';
  const name = requiredName(fn, opts.name);
  const filters = positiveInt(fn, 'filters', opts.filters);
  const strides = positiveInt(fn, 'strides', opts.strides ?? 1);
  const expansion = positiveInt(fn, 'expansion', opts.expansion ?? 4);
  const f1 = convBnAct(x, { filters, kernelSize: 1, padding: 0, name: `${name}_1`, seed: subSeed(opts.seed, 1) });
  const f2 = convBnAct(f1, { filters, kernelSize: 3, strides, padding: 1, name: `${name}_2`, seed: subSeed(opts.seed, 2) });
  const f = convBnAct(f2, { filters: filters * expansion, kernelSize: 1, padding: 0, activation: null, name: `${name}_3`, seed: subSeed(opts.seed, 3) });
  return residualJoin(x, f, { shortcut: opts.shortcut ?? true, strides, name, seed: subSeed(opts.seed, 4) });
}
