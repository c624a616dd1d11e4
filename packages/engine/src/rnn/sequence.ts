// Shared plumbing of the sequence ops: time-major inputs and mask, step order, unpacking results.
import * as tf from '@tensorflow/tfjs';

export interface PreparedSequence {
  time: number;
  batch: number;
  /** x time-major and flattened: [time*batch, inputSize]. */
  x2d: tf.Tensor2D;
  /** Mask time-major and flattened [time*batch] (float), or [1] when there is none. */
  mask: tf.Tensor1D;
  hasMask: boolean;
}

export function prepare(x: tf.Tensor3D, units: number, mask: tf.Tensor2D | undefined): PreparedSequence {
  const [batch, time, inputSize] = x.shape;
  if (!(units > 0)) throw new Error(`recurrent kernel has no units`);
  if (mask && (mask.shape[0] !== batch || mask.shape[1] !== time)) {
    throw new Error(`mask shape [${mask.shape}] does not match x [batch ${batch}, time ${time}]`);
  }
  return {
    time,
    batch,
    x2d: tf.transpose(x, [1, 0, 2]).reshape([time * batch, inputSize]),
    mask: mask ? (tf.transpose(tf.cast(mask, 'float32')).reshape([time * batch]) as tf.Tensor1D) : tf.ones([1]),
    hasMask: !!mask,
  };
}

/**
 * Whether the RNN ops are composed from the active backend's own ops (lstm-ops.ts, gru-ops.ts) rather than
 * run as Parley's fused cell kernels: the kernels are JavaScript/WebAssembly that read the wasm heap in place
 * (or cpu's arrays); on native backends (tfjs-node's libtensorflow, node-gpu) they would copy each step's
 * tensors to JavaScript and back, while the composed ops keep everything on the native side.
 */
export function composedOps(): boolean {
  const name = tf.getBackend();
  return name !== 'wasm' && name !== 'cpu';
}

/** Whether tfjs is recording a gradient tape right now (when not, the ops skip customGrad and saving). */
export function recording(): boolean {
  const engine = tf.engine() as unknown as { isTapeOn?: () => boolean };
  return typeof engine.isTapeOn === 'function' ? engine.isTapeOn() : true;
}

/** Timestep indices in processing order. */
export function timeOrder(time: number, backwards: boolean): number[] {
  const order = Array.from({ length: time }, (_, t) => t);
  return backwards ? order.reverse() : order;
}

/** Splits the packed time-major [time+2, batch, units] result into batch-major outputs and two states. */
export function unpack(packed: tf.Tensor3D, time: number, batch: number, units: number) {
  return {
    outputs: tf.transpose(packed.slice([0, 0, 0], [time, batch, units]), [1, 0, 2]) as tf.Tensor3D,
    last: packed.slice([time, 0, 0], [1, batch, units]).reshape([batch, units]) as tf.Tensor2D,
    extra: packed.slice([time + 1, 0, 0], [1, batch, units]).reshape([batch, units]) as tf.Tensor2D,
  };
}
