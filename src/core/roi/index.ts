export { roiAlign, type RoiAlignOptions } from './roi-align';
export { roiPool, type RoiPoolOptions } from './roi-pool';
