// Calling libtensorflow ops that tfjs does not wrap (TensorFlow's fused RNN ops) through tfjs-node's
// binding, as tfjs-node's own kernels do: inputs are tfjs tensors, outputs become tfjs tensors that the
// engine tracks (tf.tidy and tf.dispose apply). Only on the tfjs-node backends.
import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-node's backend used here (node_modules/@tensorflow/tfjs-node/dist/nodejs_kernel_backend.js). */
interface NodeBackend {
  binding: {
    executeOp(
      name: string,
      attrs: { name: string; type: number; value: unknown }[],
      inputIds: number[],
      numOutputs: number,
    ): unknown[];
    createTensor(shape: number[], dtype: number, values: Int32Array): number;
    deleteTensor(id: number): void;
    TF_ATTR_FLOAT: number;
    TF_ATTR_BOOL: number;
    TF_ATTR_TYPE: number;
    TF_FLOAT: number;
    TF_INT64: number;
  };
  getInputTensorIds(tensors: tf.Tensor[]): number[];
  createOutputTensor(metadata: unknown): tf.Tensor;
}

function nodeBackend(): NodeBackend | undefined {
  const b = tf.backend() as unknown as Partial<NodeBackend>;
  return b.binding && typeof b.getInputTensorIds === 'function' ? (b as NodeBackend) : undefined;
}

/** Whether the active backend is tfjs-node's (or tfjs-node-gpu's). */
export function nativeOpsAvailable(): boolean {
  return nodeBackend() !== undefined;
}

/**
 * A check that a group of native ops runs here: false when `optOut` is set to '0' in the environment (read on
 * every call, so a test can switch the composed path back on) or the backend is not tfjs-node's; otherwise
 * `probe` runs once, inside tf.tidy, and the answer is whether it did not throw (cached).
 */
export function nativeOpProbe(optOut: string, probe: () => void): () => boolean {
  let available: boolean | undefined;
  return () => {
    if (process.env[optOut] === '0' || !nativeOpsAvailable()) return false;
    if (available === undefined) {
      try {
        tf.tidy(probe);
        available = true;
      } catch {
        available = false;
      }
    }
    return available;
  };
}

/** An op's attributes besides its float type T (always float32 here). */
export interface NativeOpAttrs {
  bools?: Record<string, boolean>;
  floats?: Record<string, number>;
}

/**
 * Runs libtensorflow op `name` on `inputs` and returns its `numOutputs` outputs. `int64First` prepends an
 * int64 scalar input (tfjs tensors cannot be int64: made and freed here).
 */
export function executeNativeOp(
  name: string,
  inputs: tf.Tensor[],
  numOutputs: number,
  attrs: NativeOpAttrs = {},
  int64First?: number,
): tf.Tensor[] {
  const be = nodeBackend();
  if (!be) throw new Error(`${name} needs the tfjs-node backend`);
  const { binding: bd } = be;
  const scalar =
    int64First === undefined ? undefined : bd.createTensor([], bd.TF_INT64, new Int32Array([int64First, 0]));
  try {
    const list = [
      ...Object.entries(attrs.floats ?? {}).map(([n, value]) => ({ name: n, type: bd.TF_ATTR_FLOAT, value })),
      ...Object.entries(attrs.bools ?? {}).map(([n, value]) => ({ name: n, type: bd.TF_ATTR_BOOL, value })),
      { name: 'T', type: bd.TF_ATTR_TYPE, value: bd.TF_FLOAT },
    ];
    const ids = be.getInputTensorIds(inputs);
    if (scalar !== undefined) ids.unshift(scalar);
    return bd.executeOp(name, list, ids, numOutputs).map((m) => be.createOutputTensor(m));
  } finally {
    if (scalar !== undefined) bd.deleteTensor(scalar);
  }
}
