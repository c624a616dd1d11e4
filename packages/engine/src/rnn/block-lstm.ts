// TensorFlow's fused LSTM ops on tfjs-node, which tfjs does not wrap (called through tfjs-node's binding):
// BlockLSTMV2 runs the forward over a whole sequence as ONE op, instead of ~10 ops per step (on a busy
// machine every op is a scheduling point; the fused op runs the time loop natively), and LSTMBlockCellGrad
// does a backward step's elementwise work in one op. BlockLSTMGradV2, the whole backward in one op, was
// measured slower: it multiplies by the input kernel and accumulates the weight gradients step by step,
// where lstm-ops.ts does each as one matmul over all timesteps. BlockLSTM has no per-row mask, so masked
// sequences keep the composed path.
import * as tf from '@tensorflow/tfjs';
import { executeNativeOp, nativeOpProbe } from './native-ops';

type T2 = tf.Tensor2D;
type T3 = tf.Tensor3D;

/** Whether the active backend is tfjs-node's and its libtensorflow has BlockLSTMV2 and LSTMBlockCellGrad (checked once). */
export const blockLstmAvailable = nativeOpProbe('PARLEY_BLOCK_LSTM', () => {
  const w = tf.zeros([2, 4]);
  const [x, s] = [tf.zeros([1, 1, 1]) as T3, tf.zeros([1, 1]) as T2];
  const fwd = blockLstm(x, w as T2, s, s);
  const step = (t: T3) => t.reshape([1, 1]) as T2;
  const grad = new LstmCellGrad(1, 1, s);
  const v = {
    i: step(fwd.i),
    cs: step(fwd.cs),
    f: step(fwd.f),
    o: step(fwd.o),
    ci: step(fwd.ci),
    co: step(fwd.co),
  };
  grad.step(v, s, s, s, tf.zeros([1, 4]) as T2);
  grad.dispose();
});

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

/** Runs one of the LSTM block ops without peepholes (and clipping); `time` prepends seq_len_max. */
function executeLstmOp(name: string, inputs: tf.Tensor[], numOutputs: number, time?: number): tf.Tensor[] {
  const attrs = { bools: { use_peephole: false }, ...(time === undefined ? {} : { floats: { cell_clip: 0 } }) };
  return executeNativeOp(name, inputs, numOutputs, attrs, time);
}

/**
 * Runs BlockLSTMV2 over x [time, batch, input] from state (h0, c0), no peepholes or clipping. `w` is
 * [input+units, 4*units], the kernel stacked over the recurrent kernel; V2 uses Keras' gate order i, f, c, o.
 */
export function blockLstm(x: T3, w: T2, h0: T2, c0: T2, bias?: tf.Tensor1D): BlockLstmOutputs {
  const units = h0.shape[1];
  const zeros = tf.zeros([units]);
  const b = bias ?? tf.zeros([4 * units]);
  try {
    const [i, cs, f, o, ci, co, h] = executeLstmOp(
      'BlockLSTMV2',
      [x, c0, h0, w, zeros, zeros, zeros, b],
      7,
      x.shape[0],
    ) as T3[];
    return { i: i!, cs: cs!, f: f!, o: o!, ci: ci!, co: co!, h: h! };
  } finally {
    zeros.dispose();
    if (!bias) b.dispose();
  }
}

/** One step of blockLstm's outputs, each [batch, units] (see BlockLstmOutputs). */
export type LstmStepValues = Omit<BlockLstmOutputs, 'h'> extends Record<infer K, T3> ? Record<K, T2> : never;

/**
 * The elementwise backward of one LSTM step as ONE op (LSTMBlockCellGrad): from the step's forward values,
 * the cell state it started from, and the total gradients reaching its c and h, the gate pre-activation
 * gradients dicfo [batch, 4*units] in the order i, c, f, o (not Keras' i, f, c, o) and the gradient of the
 * previous cell state. The matmuls are left to the caller (batched over time where possible).
 */
export class LstmCellGrad {
  private readonly x: T2;
  private readonly zeros: tf.Tensor1D;
  private readonly bias: tf.Tensor1D;

  constructor(
    batch: number,
    units: number,
    private readonly h0: T2,
  ) {
    // The op reads x, w and b only for their shapes: an empty x and a [units, 4*units] w pass its checks.
    this.x = tf.zeros([batch, 0]);
    this.zeros = tf.zeros([units]);
    this.bias = tf.zeros([4 * units]);
  }

  step(v: LstmStepValues, csPrev: T2, csGrad: T2, hGrad: T2, w: T2): { dicfo: T2; csPrevGrad: T2 } {
    const { x, zeros, bias, h0 } = this;
    const inputs = [x, csPrev, h0, w, zeros, zeros, zeros, bias, v.i, v.cs, v.f, v.o, v.ci, v.co, csGrad, hGrad];
    const [csPrevGrad, dicfo, ...peephole] = executeLstmOp('LSTMBlockCellGrad', inputs, 5);
    tf.dispose(peephole);
    return { dicfo: dicfo as T2, csPrevGrad: csPrevGrad as T2 };
  }

  dispose(): void {
    tf.dispose([this.x, this.zeros, this.bias]);
  }
}
