import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * In Node, point the tfjs packages at their ES2017 bundles. The packages'
 * default Node entries are transpiled to ES5 and run about 3.5x slower; the
 * bundles share one engine and kernel registry through tfjs's global namespace.
 */
export const nodeTfAliases = [
  { find: /^@tensorflow\/tfjs$/, replacement: require.resolve('@tensorflow/tfjs/dist/tf.es2017.js') },
  { find: /^@tensorflow\/tfjs-core$/, replacement: require.resolve('@tensorflow/tfjs/dist/tf.es2017.js') },
  {
    find: /^@tensorflow\/tfjs-backend-wasm$/,
    replacement: require.resolve('@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.es2017.js'),
  },
];
