// Test helpers shared by the rnn tests: random tensors, closeness, and unrolled reference RNNs in plain tf ops.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../backend';
import type { GruWeights, LstmState, LstmWeights } from './types';

/**
 * Backends the engine's op tests run on: the one PARLEY_BACKEND names (CI's node run sets
 * PARLEY_BACKEND=node, so the tests fail when the native path breaks), otherwise cpu and wasm.
 */
export function testBackends(): BackendName[] {
  const forced = process.env.PARLEY_BACKEND;
  return forced ? [forced as BackendName] : ['cpu', 'wasm'];
}

/** One LSTM step in plain tf ops (tf autodiff): the reference the fused lstmStep is checked against. */
export function lstmStepReference(x: tf.Tensor2D, state: LstmState, w: LstmWeights): LstmState {
  const z = tf.add(tf.add(tf.matMul(x, w.kernel), tf.matMul(state.h, w.recurrentKernel)), w.bias);
  const [i, f, g, o] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const c = tf.add(tf.mul(tf.sigmoid(f), state.c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
  return { h: tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor2D, c };
}

/** One GRU step in plain tf ops (tf.layers.gru semantics): the reference for the fused gruStep. */
export function gruStepReference(x: tf.Tensor2D, h: tf.Tensor2D, w: GruWeights): tf.Tensor2D {
  const units = h.shape[1];
  const [xz, xr, xh] = tf.split(tf.add(tf.matMul(x, w.kernel), w.bias), 3, 1);
  const rk = w.recurrentKernel as tf.Tensor2D;
  const [hz, hr] = tf.split(tf.matMul(h, rk.slice([0, 0], [units, 2 * units])), 2, 1);
  const z = tf.sigmoid(tf.add(xz!, hz!));
  const r = tf.sigmoid(tf.add(xr!, hr!));
  const hh = tf.tanh(tf.add(xh!, tf.matMul(tf.mul(r, h), rk.slice([0, 2 * units], [units, units]))));
  return tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)) as tf.Tensor2D;
}

export function rand(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.randomUniform(shape, -scale, scale, 'float32', seed);
}

/** Largest absolute difference between two tensors. */
export function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  expectShape(a, b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

function expectShape(a: tf.Tensor, shape: number[]): void {
  if (a.shape.join() !== shape.join()) throw new Error(`shape [${a.shape}] != [${shape}]`);
}

/** Reference LSTM: lstmStepReference unrolled with tf autodiff, masked steps keep the state and output zeros. */
export function referenceLstm(x: tf.Tensor3D, w: LstmWeights, state: LstmState, mask?: tf.Tensor2D, backwards = false) {
  const [, T] = x.shape;
  const outs: tf.Tensor2D[] = new Array(T);
  let s = state;
  const order = [...Array(T).keys()];
  if (backwards) order.reverse();
  for (const t of order) {
    const xt = x.slice([0, t, 0], [-1, 1, -1]).squeeze([1]) as tf.Tensor2D;
    const n = lstmStepReference(xt, s, w);
    if (mask) {
      const m = mask.slice([0, t], [-1, 1]).cast('float32');
      s = {
        h: tf.add(tf.mul(m, n.h), tf.mul(tf.sub(1, m), s.h)),
        c: tf.add(tf.mul(m, n.c), tf.mul(tf.sub(1, m), s.c)),
      };
      outs[t] = tf.mul(m, n.h);
    } else {
      s = n;
      outs[t] = n.h;
    }
  }
  return { outputs: tf.stack(outs, 1) as tf.Tensor3D, ...s };
}

/** Reference GRU: gruStepReference unrolled with tf autodiff, with the same masking rule. */
export function referenceGru(x: tf.Tensor3D, w: GruWeights, h0: tf.Tensor2D, mask?: tf.Tensor2D, backwards = false) {
  const [, T] = x.shape;
  const outs: tf.Tensor2D[] = new Array(T);
  let h = h0;
  const order = [...Array(T).keys()];
  if (backwards) order.reverse();
  for (const t of order) {
    const xt = x.slice([0, t, 0], [-1, 1, -1]).squeeze([1]) as tf.Tensor2D;
    const n = gruStepReference(xt, h, w);
    if (mask) {
      const m = mask.slice([0, t], [-1, 1]).cast('float32');
      h = tf.add(tf.mul(m, n), tf.mul(tf.sub(1, m), h));
      outs[t] = tf.mul(m, n);
    } else {
      h = n;
      outs[t] = n;
    }
  }
  return { outputs: tf.stack(outs, 1) as tf.Tensor3D, h };
}
