// Single timesteps for decoding, in plain (differentiable) tf ops, using the same weights as lstm/gru.
import * as tf from '@tensorflow/tfjs';
import type { GruWeights, LstmState, LstmWeights } from './types';

/** One LSTM step: x [batch, inputSize] and state → the next state (its h is the step's output). */
export function lstmStep(x: tf.Tensor2D, state: LstmState, w: LstmWeights): LstmState {
  return tf.tidy(() => {
    const z = tf.add(tf.add(tf.matMul(x, w.kernel), tf.matMul(state.h, w.recurrentKernel)), w.bias);
    const [i, f, g, o] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const c = tf.add(tf.mul(tf.sigmoid(f), state.c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
    const h = tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor2D;
    return { h, c };
  });
}

/** One GRU step (tf.layers.gru semantics): x [batch, inputSize], h [batch, units] → the next h. */
export function gruStep(x: tf.Tensor2D, h: tf.Tensor2D, w: GruWeights): tf.Tensor2D {
  return tf.tidy(() => {
    const units = h.shape[1];
    const xp = tf.add(tf.matMul(x, w.kernel), w.bias);
    const [xz, xr, xh] = tf.split(xp, 3, 1);
    const rk = w.recurrentKernel as tf.Tensor2D;
    const hzr = tf.matMul(h, rk.slice([0, 0], [units, 2 * units]));
    const [hz, hr] = tf.split(hzr, 2, 1);
    const z = tf.sigmoid(tf.add(xz!, hz!));
    const r = tf.sigmoid(tf.add(xr!, hr!));
    const hh = tf.tanh(tf.add(xh!, tf.matMul(tf.mul(r, h), rk.slice([0, 2 * units], [units, units]))));
    return tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)) as tf.Tensor2D;
  });
}
