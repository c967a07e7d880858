import * as tf from '@tensorflow/tfjs';

/**
 * DepthwiseConv2dNativeBackpropFilter / ...BackpropInput for 'wasm' (tfjs 4.22
 * registers neither). A depthwise conv does CI*CM multiply-adds per output
 * pixel and tap instead of CI*CO, so a direct loop over (pixel, tap) with the
 * channels innermost (contiguous in NHWC) is cheap enough and exact; it
 * follows tfjs-backend-cpu's definitions, dilations included. Output channel
 * ci*CM + m belongs to input channel ci and multiplier m.
 */
export type DwAttrs = {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** Conv info plus the pads and channel multiplier both depthwise gradients use. */
export function taps(info: tf.backend_util.Conv2DInfo) {
  return {
    ...info,
    pt: info.padInfo.top,
    pl: info.padInfo.left,
    CM: info.outChannels / info.inChannels,
  };
}

