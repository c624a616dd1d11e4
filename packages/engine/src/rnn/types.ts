// The engine's recurrent API types (the contract every Parley model codes against).
import type * as tf from '@tensorflow/tfjs';

/** Keras layout, gate order i, f, c, o. kernel [inputSize, 4*units], recurrentKernel [units, 4*units], bias [4*units]. */
export interface LstmWeights {
  kernel: tf.Variable;
  recurrentKernel: tf.Variable;
  bias: tf.Variable;
}

/** Layout identical to tf.layers.gru (gates z, r, h): kernel [inputSize, 3*units], recurrentKernel [units, 3*units], bias [3*units]. */
export interface GruWeights {
  kernel: tf.Variable;
  recurrentKernel: tf.Variable;
  bias: tf.Variable;
}

/** An LSTM's state: hidden h and cell c, each [batch, units]. */
export interface LstmState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

export interface RnnOptions {
  /** [batch, time] with 1 = real token, 0 = padding: padded steps carry the state through unchanged and output zeros. */
  mask?: tf.Tensor2D;
  /** Run right-to-left (outputs still aligned with input positions). */
  goBackwards?: boolean;
}
