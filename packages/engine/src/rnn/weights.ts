// Weight creation for LSTM/GRU in the Keras layout (interchangeable with tf.layers.lstm/gru).
import * as tf from '@tensorflow/tfjs';
import type { GruWeights, LstmWeights } from './types';

export interface WeightOptions {
  /** Seed for the uniform initialisers (same seed → same weights). */
  seed?: number;
  /** Prefix for variable names (tfjs variable names must be unique per process; a counter is appended). */
  name?: string;
}

let counter = 0;

function glorot(rows: number, cols: number, seed: number | undefined): tf.Tensor2D {
  const limit = Math.sqrt(6 / (rows + cols));
  return tf.randomUniform([rows, cols], -limit, limit, 'float32', seed) as tf.Tensor2D;
}

function make(inputSize: number, units: number, gates: number, opts: WeightOptions, bias: (j: number) => number) {
  const name = `${opts.name ?? (gates === 4 ? 'lstm' : 'gru')}_${counter++}`;
  const seed = opts.seed;
  return tf.tidy(() => ({
    kernel: tf.variable(glorot(inputSize, gates * units, seed), true, `${name}/kernel`),
    recurrentKernel: tf.variable(
      // Per-gate square blocks keep the recurrent matrix well conditioned.
      glorot(units, gates * units, seed === undefined ? undefined : seed + 1).mul(
        Math.sqrt((units + gates * units) / (2 * units)),
      ),
      true,
      `${name}/recurrent_kernel`,
    ),
    bias: tf.variable(tf.tensor1d(Array.from({ length: gates * units }, (_, k) => bias(k))), true, `${name}/bias`),
  }));
}

/** LSTM weights: Glorot-uniform kernels, zero bias except 1 on the forget gate (as Keras' unitForgetBias). */
export function createLstmWeights(inputSize: number, units: number, opts: WeightOptions = {}): LstmWeights {
  return make(inputSize, units, 4, opts, (k) => (k >= units && k < 2 * units ? 1 : 0));
}

/** GRU weights: Glorot-uniform kernels, zero bias. */
export function createGruWeights(inputSize: number, units: number, opts: WeightOptions = {}): GruWeights {
  return make(inputSize, units, 3, opts, () => 0);
}
