import { UMAP } from 'umap-js';
import { fail } from '../util/validate';
import { seededRandom } from '../util/random';
import { tsne, type TsneOptions } from './tsne';

/**
 * Features `[N][D]` → 2-D points for a scatter plot: UMAP (McInnes et al.
 * 2018, through `umap-js`, seeded) or t-SNE (`tsne`, exact). Both keep
 * neighbourhoods, not distances: clusters mean something, the gaps between
 * them do not.
 */
export interface EmbedOptions extends TsneOptions {
  method?: 'umap' | 'tsne';
  /** UMAP: neighbours per point (default 15). */
  neighbours?: number;
  /** UMAP: how tightly points pack (default 0.1). */
  minDist?: number;
}

export function embed2d(points: number[][], options: EmbedOptions = {}): [number, number][] {
  const method = options.method ?? 'umap';
  if (method === 'tsne') return tsne(points, options);
  if (method !== 'umap') fail('embed2d', 'method', "'umap' or 'tsne'", String(method));
  const nNeighbors = Math.min(options.neighbours ?? 15, points.length - 1);
  if (points.length < 3) fail('embed2d', 'points', 'at least 3 points', String(points.length));
  const umap = new UMAP({ nComponents: 2, nNeighbors, minDist: options.minDist ?? 0.1, random: seededRandom(options.seed ?? 1), nEpochs: options.iterations });
  return umap.fit(points).map((p) => [p[0], p[1]]);
}
