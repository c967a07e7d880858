// Region proposals that need no training: selective search (R-CNN's proposals), plain JS on pixel arrays.
export { type PixelImage } from './pixel-image';
export { felzenszwalbSegment, type FelzenszwalbOptions, type Segmentation } from './felzenszwalb';
export {
  hierarchicalGrouping,
  selectiveSearch,
  SIMILARITIES,
  type Grouping,
  type GroupingOptions,
  type MergeStep,
  type PixelBox,
  type Region,
  type SelectiveSearchOptions,
  type SelectiveSearchResult,
  type Similarity,
} from './selective-search';
