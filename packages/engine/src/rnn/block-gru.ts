// GRU on TensorFlow's fused GRU cell ops on tfjs-node (called through tfjs-node's binding, see
// native-ops.ts): a forward step is ONE op (GRUBlockCell: both matmuls and all elementwise work) instead of
// 2 matmuls and ~9 elementwise ops, and a backward step two (an add, GRUBlockCellGrad, which also gives the
// step's input gradient); the weight gradients stay one matmul each over all timesteps. GRUBlockCell has
// tf.layers.gru's semantics (the reset gate multiplies h before the candidate's recurrent matmul) with its
// own layout: w_ru = [x; h]·[reset | update] and w_c = [x; h]·candidate, where Keras' kernels are
// [update | reset | candidate]. It has no per-row mask: masked sequences keep gru-ops.ts's composed path.
import * as tf from '@tensorflow/tfjs';
import { executeNativeOp, nativeOpProbe } from './native-ops';
import { recording, type PreparedSequence } from './sequence';
import type { GruWeights } from './types';

type T2 = tf.Tensor2D;

/** The weights in GRUBlockCell's layout. */
interface BlockWeights {
  wRu: T2;
  wC: T2;
  bRu: tf.Tensor1D;
  bC: tf.Tensor1D;
}

function blockWeights(kernel: T2, rk: T2, bias: tf.Tensor1D): BlockWeights {
  const [wz, wr, wc] = tf.split(tf.concat([kernel, rk], 0), 3, 1) as [T2, T2, T2];
  const [bz, br, bc] = tf.split(bias, 3) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  return { wRu: tf.concat([wr, wz], 1), wC: wc, bRu: tf.concat([br, bz]), bC: bc };
}

/** One GRUBlockCell step: reset and update gates, candidate, new h (each [batch, units]). */
function cell(x: T2, h: T2, w: BlockWeights) {
  const [r, u, c, hNew] = executeNativeOp('GRUBlockCell', [x, h, w.wRu, w.wC, w.bRu, w.bC], 4) as T2[];
  return { r: r!, u: u!, c: c!, h: hNew! };
}

/** Whether the active backend is tfjs-node's and its libtensorflow has GRUBlockCell and its gradient (checked once). */
export const blockGruAvailable = nativeOpProbe('PARLEY_BLOCK_GRU', () => {
  const w = blockWeights(tf.zeros([1, 3]), tf.zeros([1, 3]), tf.zeros([3]));
  const s = cell(tf.zeros([1, 1]), tf.zeros([1, 1]), w);
  executeNativeOp('GRUBlockCellGrad', [s.h, s.h, w.wRu, w.wC, w.bRu, w.bC, s.r, s.u, s.c, s.h], 4);
});

/** The forward in processing order; per-step values kept (time-indexed) when a gradient will be needed. */
function forward(xs: T2[], h0: T2, w: BlockWeights, order: number[], keep: boolean) {
  const T = order.length;
  const outs: T2[] = new Array(T);
  const steps: { r: T2; u: T2; c: T2; hPrev: T2 }[] = new Array(T);
  let h = h0;
  for (const t of order) {
    const s = cell(xs[t]!, h, w);
    if (keep) steps[t] = { r: s.r, u: s.u, c: s.c, hPrev: h };
    else tf.dispose([s.r, s.u, s.c]);
    outs[t] = s.h;
    h = s.h;
  }
  return { outs, steps, h };
}

/** gru on GRUBlockCell ops: packed [time+2, batch, units] as gru.ts unpacks it (unmasked sequences). */
export function blockGruOps(seq: PreparedSequence, w: GruWeights, h0: T2, order: number[]): tf.Tensor3D {
  const [T, B, U] = [seq.time, seq.batch, h0.shape[1]];
  const I = seq.x2d.shape[1];
  // Packed like lstm's: T outputs, final h, and final h again in the slot lstm uses for c.
  const pack = (outs: T2[], h: T2) => tf.concat([...outs, h, h], 0).reshape([T + 2, B, U]) as tf.Tensor3D;
  if (!recording()) {
    return tf.tidy(() => {
      const bw = blockWeights(w.kernel as T2, w.recurrentKernel as T2, w.bias as tf.Tensor1D);
      const xs = tf.unstack(seq.x2d.reshape([T, B, I])) as T2[];
      const { outs, h } = forward(xs, h0, bw, order, false);
      return pack(outs, h);
    });
  }
  const run = tf.customGrad((...a) => {
    const [x2d, kernel, rk, bias, hInit] = a as [T2, T2, T2, tf.Tensor1D, T2];
    const save = a[5] as unknown as tf.GradSaveFunc;
    const bw = blockWeights(kernel, rk, bias);
    const xs = tf.unstack(x2d.reshape([T, B, I])) as T2[];
    const { outs, steps, h } = forward(xs, hInit, bw, order, true);
    const perStep = (k: 'r' | 'u' | 'c' | 'hPrev') => steps.map((s) => s[k]);
    save([
      x2d,
      bw.wRu,
      bw.wC,
      bw.bRu,
      bw.bC,
      ...xs,
      ...perStep('r'),
      ...perStep('u'),
      ...perStep('c'),
      ...perStep('hPrev'),
    ]);
    const gradFunc = (dy: tf.Tensor3D, s: tf.Tensor[]) => {
      const [sx, wRu, wC, bRu, bC] = s as T2[];
      const at = (k: number, t: number) => s[5 + k * T + t] as T2; // k: 0 x, 1 r, 2 u, 3 c, 4 hPrev
      const dys = tf.unstack(dy) as T2[];
      const dxs: T2[] = new Array(T);
      const dCs: T2[] = new Array(T);
      const dRus: T2[] = new Array(T);
      let dhCarried = tf.add(dys[T]!, dys[T + 1]!) as T2; // the final h appears twice in the packed value
      for (let p = T - 1; p >= 0; p--) {
        const t = order[p]!;
        const dh = tf.add(dys[t]!, dhCarried);
        const [dx, dhPrev, dC, dRu] = executeNativeOp(
          'GRUBlockCellGrad',
          [at(0, t), at(4, t), wRu!, wC!, bRu!, bC!, at(1, t), at(2, t), at(3, t), dh],
          4,
        ) as T2[];
        tf.dispose([dh, dhCarried]);
        dxs[t] = dx!;
        dCs[t] = dC!;
        dRus[t] = dRu!;
        dhCarried = dhPrev!;
      }
      const dRu = tf.concat(dRus, 0) as T2; // [reset | update]
      const dC = tf.concat(dCs, 0) as T2;
      const [dR, dU] = tf.split(dRu, 2, 1) as [T2, T2];
      const dA = tf.concat([dU, dR, dC], 1) as T2; // Keras order: update, reset, candidate
      const hPrev = tf.concat(
        Array.from({ length: T }, (_, t) => at(4, t)),
        0,
      ) as T2;
      const rh = tf.mul(
        tf.concat(
          Array.from({ length: T }, (_, t) => at(1, t)),
          0,
        ),
        hPrev,
      ) as T2;
      // [x | 1]ᵀ·dA: the kernel's and the bias' gradients in one matmul.
      const [dKernel, dBias] = tf.split(
        tf.matMul(tf.concat([sx!, tf.ones([T * B, 1])], 1), dA, true, false),
        [I, 1],
        0,
      );
      const [dRkReset, dRkUpdate] = tf.split(tf.matMul(hPrev, dRu, true, false), 2, 1);
      return [
        tf.concat(dxs, 0), // dx
        dKernel!,
        tf.concat([dRkUpdate!, dRkReset!, tf.matMul(rh, dC, true, false)], 1), // dRecurrentKernel
        dBias!.reshape([3 * U]),
        dhCarried, // dh0
      ];
    };
    return { value: pack(outs, h), gradFunc };
  });
  return run(seq.x2d, w.kernel, w.recurrentKernel, w.bias, h0) as tf.Tensor3D;
}
