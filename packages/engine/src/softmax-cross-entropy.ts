// Softmax cross-entropy of logits against a target distribution, one number per row.
// Why: a seq2seq training step reads and writes its [target tokens, vocabulary] logits many times in the loss.
// tfjs composes the loss from logSoftmax, a product and row sums, and its gradient from theirs: about twenty passes
// over [N, V]. Profiled on node (pt-en-base: 6,000 words, ~3,000 target tokens a batch), the loss's elementwise ops
// were about a seventh of a training step. On tfjs-node one libtensorflow op, SoftmaxCrossEntropyWithLogits,
// computes the per-row loss and its gradient (softmax − labels) together in a few fused passes, and the backward
// is one product. On wasm, the label-smoothed form runs as one SIMD kernel (three passes per row, no [N, V] labels
// tensor): profiled on pt-en-base, tfjs' composition there (two Exps, logSoftmax, broadcast products) was ~15 % of a
// step. Other backends keep tfjs' composition (same values to float rounding).
import * as tf from '@tensorflow/tfjs';
import { registerJsKernel, runKernel } from './js-kernel';
import { executeNativeOp, nativeOpProbe } from './rnn/native-ops';
import { kernelFixesEnabled } from './wasm-kernels';

type T2 = tf.Tensor2D;

/** The libtensorflow op: per-row loss [N] and its gradient w.r.t. the logits [N, V]. */
function nativeLossAndGradient(logits: T2, labels: T2): [tf.Tensor1D, T2] {
  const [loss, backprop] = executeNativeOp('SoftmaxCrossEntropyWithLogits', [logits, labels], 2);
  return [loss as tf.Tensor1D, backprop as T2];
}

/**
 * Whether the fused op runs here: tfjs-node's backend, and PARLEY_NATIVE_XENT is not '0' (the opt-out, read on
 * every call so a test can compare both paths). Checked once per process.
 */
export const nativeSoftmaxCrossEntropyAvailable = nativeOpProbe('PARLEY_NATIVE_XENT', () => {
  nativeLossAndGradient(tf.zeros([1, 2]), tf.fill([1, 2], 0.5));
});

/**
 * −Σⱼ labels[i, j] · log softmax(logits[i])ⱼ for each row i: logits and labels [N, V] → [N]. Each row of `labels`
 * is a distribution (e.g. a smoothed one-hot). Differentiable with respect to the logits only.
 */
export function softmaxCrossEntropy(logits: T2, labels: T2): tf.Tensor1D {
  if (!nativeSoftmaxCrossEntropyAvailable())
    return tf.neg(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
  // labels is closed over, not an input: the tape then asks for no gradient of it (a zero [N, V] tensor).
  const run = tf.customGrad((x, save) => {
    const [loss, backprop] = nativeLossAndGradient(x as T2, labels);
    (save as tf.GradSaveFunc)([backprop]);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy.reshape([-1, 1]), saved[0]!),
    };
  });
  return run(logits) as tf.Tensor1D;
}

/** The smoothed target: `off` (= ε / V) everywhere plus `gold` (= 1 − ε) at the target id. */
interface SmoothedAttrs {
  off: number;
  gold: number;
}

/** The error for a target id outside the vocabulary [0, v), whichever kernel finds it. */
const badTarget = (v: number) => new Error(`softmax cross-entropy: a target id is not in [0, ${v - 1}]`);

/** Per-row loss [N] and gradient softmax − q [N, V] of logits [N, V] against smoothed one-hot targets [N]. */
const SMOOTHED_XENT = 'ParleySmoothedSoftmaxXent';
registerJsKernel<SmoothedAttrs>(
  {
    name: SMOOTHED_XENT,
    inputs: ['logits', 'targets'],
    outputs(shapes) {
      const [n, v] = shapes[0] as [number, number];
      return [
        { shape: [n], dtype: 'float32' },
        { shape: [n, v], dtype: 'float32' },
      ];
    },
    simd(k, p, { off, gold }, shapes) {
      const [n, v] = shapes[0] as [number, number];
      if (v % 4 !== 0) return false;
      try {
        k.softmaxXent(p[0]!, p[1]!, p[2]!, p[3]!, n, v, off, gold);
      } catch {
        throw badTarget(v); // the kernel's only trap
      }
      return true;
    },
    compute(ins, outs, { off, gold }, shapes) {
      const [x, targets] = ins as [Float32Array, Int32Array];
      const [loss, grad] = outs as [Float32Array, Float32Array];
      const [n, v] = shapes[0] as [number, number];
      for (let r = 0; r < n; r++) {
        const t = targets[r]!;
        if (!(t >= 0 && t < v)) throw badTarget(v);
        const o = r * v;
        let m = -Infinity;
        for (let j = 0; j < v; j++) m = Math.max(m, x[o + j]!);
        let sum = 0;
        let sumX = 0;
        for (let j = 0; j < v; j++) {
          const e = Math.exp(x[o + j]! - m);
          grad[o + j] = e;
          sum += e;
          sumX += x[o + j]!;
        }
        loss[r] = m + Math.log(sum) - off * sumX - gold * x[o + t]!;
        for (let j = 0; j < v; j++) grad[o + j] = grad[o + j]! / sum - off;
        grad[o + t]! -= gold;
      }
    },
  },
  ['wasm'],
);

/** Whether the fused smoothed loss runs here: the native op on node, the SIMD kernel on wasm (kernel fixes on). */
export function smoothedSoftmaxCrossEntropyAvailable(): boolean {
  return nativeSoftmaxCrossEntropyAvailable() || (tf.getBackend() === 'wasm' && kernelFixesEnabled());
}

/**
 * −Σⱼ qⱼ · log softmax(logits[i])ⱼ for each row i, where q is the one-hot of `targets[i]` smoothed by ε
 * (1 − ε + ε/V at the target, ε/V elsewhere): logits [N, V], int32 targets [N] → [N]. Differentiable with respect to
 * the logits. Needs smoothedSoftmaxCrossEntropyAvailable() (callers compose the loss from tfjs ops otherwise).
 */
export function smoothedSoftmaxCrossEntropy(logits: T2, targets: tf.Tensor1D, smoothing: number): tf.Tensor1D {
  const v = logits.shape[1];
  if (nativeSoftmaxCrossEntropyAvailable())
    return softmaxCrossEntropy(
      logits,
      tf.oneHot(targets, v, 1 - smoothing + smoothing / v, smoothing / v, 'float32') as T2,
    );
  if (!smoothedSoftmaxCrossEntropyAvailable())
    throw new Error('smoothedSoftmaxCrossEntropy: no fused kernel on this backend');
  const ids = tf.cast(targets, 'int32');
  const run = tf.customGrad((x, save) => {
    const [loss, grad] = runKernel(
      SMOOTHED_XENT,
      { logits: x as T2, targets: ids },
      { off: smoothing / v, gold: 1 - smoothing },
    );
    (save as tf.GradSaveFunc)([grad!]);
    return {
      value: loss!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy.reshape([-1, 1]), saved[0]!),
    };
  });
  return run(logits) as tf.Tensor1D;
}
