// The LSTM forward over a whole sequence as ONE libtensorflow op (BlockLSTMV2, TensorFlow's fused LSTM
// kernel) on tfjs-node, instead of ~10 ops per step: on a busy machine every op is a scheduling point, and
// the fused op runs the time loop natively. Its outputs (gates, cell states, tanh(c), h for every step) are
// exactly what lstm-ops.ts's batched backward needs. BlockLSTM has no per-row mask, so masked sequences
// keep the composed path. tfjs does not wrap this op; it is called through tfjs-node's binding.
import * as tf from '@tensorflow/tfjs';

type T2 = tf.Tensor2D;
type T3 = tf.Tensor3D;

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

let available: boolean | undefined;

/** Whether the active backend is tfjs-node's and its libtensorflow has BlockLSTMV2 (checked once). */
export function blockLstmAvailable(): boolean {
  if (process.env.PARLEY_BLOCK_LSTM === '0' || !nodeBackend()) return false;
  if (available === undefined) {
    try {
      tf.tidy(() => {
        const w = tf.zeros([2, 4]);
        blockLstm(tf.zeros([1, 1, 1]) as T3, w as T2, tf.zeros([1, 1]) as T2, tf.zeros([1, 1]) as T2);
      });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/** BlockLSTMV2's outputs, each [time, batch, units]: activated gates i, f, o, cell input ci, cell states cs, co = tanh(cs), h. */
export interface BlockLstmOutputs {
  i: T3;
  cs: T3;
  f: T3;
  o: T3;
  ci: T3;
  co: T3;
  h: T3;
}

/**
 * Runs BlockLSTMV2 over x [time, batch, input] from state (h0, c0), no peepholes or clipping. `w` is
 * [input+units, 4*units], the kernel stacked over the recurrent kernel; V2 uses Keras' gate order i, f, c, o.
 */
export function blockLstm(x: T3, w: T2, h0: T2, c0: T2, bias?: tf.Tensor1D): BlockLstmOutputs {
  const be = nodeBackend();
  if (!be) throw new Error('BlockLSTMV2 needs the tfjs-node backend');
  const { binding: bd } = be;
  const units = h0.shape[1];
  const zeros = tf.zeros([units]);
  const b = bias ?? tf.zeros([4 * units]);
  // seq_len_max is an int64 scalar, which tfjs tensors cannot be: made and freed here.
  const seqLen = bd.createTensor([], bd.TF_INT64, new Int32Array([x.shape[0], 0]));
  try {
    const attrs = [
      { name: 'cell_clip', type: bd.TF_ATTR_FLOAT, value: 0 },
      { name: 'use_peephole', type: bd.TF_ATTR_BOOL, value: false },
      { name: 'T', type: bd.TF_ATTR_TYPE, value: bd.TF_FLOAT },
    ];
    const ids = [seqLen, ...be.getInputTensorIds([x, c0, h0, w, zeros, zeros, zeros, b])];
    const [i, cs, f, o, ci, co, h] = bd
      .executeOp('BlockLSTMV2', attrs, ids, 7)
      .map((m) => be.createOutputTensor(m) as T3);
    return { i: i!, cs: cs!, f: f!, o: o!, ci: ci!, co: co!, h: h! };
  } finally {
    bd.deleteTensor(seqLen);
    zeros.dispose();
    if (!bias) b.dispose();
  }
}
