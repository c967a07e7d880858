import * as tf from '@tensorflow/tfjs';

// Unit tests default to the CPU backend, the reference every other backend is checked against.
await tf.setBackend('cpu');
await tf.ready();
