// Helpers built from the sequence ops: stacked layers with dropout between them, bidirectional encoders.
import * as tf from '@tensorflow/tfjs';
import { gru } from './gru';
import { lstm } from './lstm';
import type { GruWeights, LstmState, LstmWeights, RnnOptions } from './types';

export interface StackOptions extends RnnOptions {
  /** Dropout rate applied to each layer's outputs before the next layer (not after the last). Default 0. */
  dropout?: number;
  /** Dropout is only applied when true (training); default false. */
  training?: boolean;
  /** Seed for the dropout masks (reproducible runs). */
  seed?: number;
}

function between(x: tf.Tensor3D, opts: StackOptions, layer: number): tf.Tensor3D {
  const rate = opts.dropout ?? 0;
  if (!opts.training || rate <= 0) return x;
  return tf.dropout(x, rate, undefined, opts.seed === undefined ? undefined : opts.seed + layer) as tf.Tensor3D;
}

/** Several LSTM layers on top of each other; returns the top layer's outputs and every layer's final state. */
export function stackedLstm(
  x: tf.Tensor3D,
  layers: LstmWeights[],
  opts: StackOptions & { initialStates?: LstmState[] } = {},
): { outputs: tf.Tensor3D; states: LstmState[] } {
  let input = x;
  const states: LstmState[] = [];
  layers.forEach((w, k) => {
    if (k > 0) input = between(input, opts, k);
    const r = lstm(input, w, { mask: opts.mask, goBackwards: opts.goBackwards, initialState: opts.initialStates?.[k] });
    states.push({ h: r.h, c: r.c });
    input = r.outputs;
  });
  return { outputs: input, states };
}

/** Several GRU layers on top of each other; returns the top layer's outputs and every layer's final h. */
export function stackedGru(
  x: tf.Tensor3D,
  layers: GruWeights[],
  opts: StackOptions & { initialStates?: tf.Tensor2D[] } = {},
): { outputs: tf.Tensor3D; states: tf.Tensor2D[] } {
  let input = x;
  const states: tf.Tensor2D[] = [];
  layers.forEach((w, k) => {
    if (k > 0) input = between(input, opts, k);
    const r = gru(input, w, { mask: opts.mask, goBackwards: opts.goBackwards, initialState: opts.initialStates?.[k] });
    states.push(r.h);
    input = r.outputs;
  });
  return { outputs: input, states };
}

/** A bidirectional LSTM layer: forward and backward outputs concatenated on the last axis → [batch, time, 2*units]. */
export function bidirectionalLstm(
  x: tf.Tensor3D,
  forward: LstmWeights,
  backward: LstmWeights,
  opts: { mask?: tf.Tensor2D } = {},
): { outputs: tf.Tensor3D; forward: LstmState; backward: LstmState } {
  const f = lstm(x, forward, { mask: opts.mask });
  const b = lstm(x, backward, { mask: opts.mask, goBackwards: true });
  return { outputs: tf.concat([f.outputs, b.outputs], 2), forward: { h: f.h, c: f.c }, backward: { h: b.h, c: b.c } };
}

/** A bidirectional GRU layer: forward and backward outputs concatenated on the last axis → [batch, time, 2*units]. */
export function bidirectionalGru(
  x: tf.Tensor3D,
  forward: GruWeights,
  backward: GruWeights,
  opts: { mask?: tf.Tensor2D } = {},
): { outputs: tf.Tensor3D; forward: tf.Tensor2D; backward: tf.Tensor2D } {
  const f = gru(x, forward, { mask: opts.mask });
  const b = gru(x, backward, { mask: opts.mask, goBackwards: true });
  return { outputs: tf.concat([f.outputs, b.outputs], 2), forward: f.h, backward: b.h };
}

/** Generic bidirectional wrapper: runs `layer` both ways and concatenates the outputs on the last axis. */
export function bidirectional<R extends { outputs: tf.Tensor3D }>(
  x: tf.Tensor3D,
  layer: (x: tf.Tensor3D, goBackwards: boolean) => R,
): { outputs: tf.Tensor3D; forward: R; backward: R } {
  const f = layer(x, false);
  const b = layer(x, true);
  return { outputs: tf.concat([f.outputs, b.outputs], 2), forward: f, backward: b };
}
