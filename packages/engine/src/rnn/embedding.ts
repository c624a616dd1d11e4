// Embedding lookup whose gradient (UnsortedSegmentSum) works on wasm: see ../wasm-kernels.ts.
import * as tf from '@tensorflow/tfjs';

/** Rows of `table` [vocab, dim] for int32 `ids` of any shape → [...ids.shape, dim]. */
export function embeddingLookup(table: tf.Variable, ids: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const flat = (ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32')).reshape([-1]);
    return tf.gather(table, flat).reshape([...ids.shape, table.shape[1]!]);
  });
}
