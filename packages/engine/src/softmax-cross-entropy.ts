// Softmax cross-entropy of logits against a target distribution, one number per row.
// Why: a seq2seq training step reads and writes its [target tokens, vocabulary] logits many times in the loss.
// tfjs composes the loss from logSoftmax, a product and row sums, and its gradient from theirs: about twenty passes
// over [N, V]. Profiled on node (pt-en-base: 6,000 words, ~3,000 target tokens a batch), the loss's elementwise ops
// were about a seventh of a training step. On tfjs-node one libtensorflow op, SoftmaxCrossEntropyWithLogits,
// computes the per-row loss and its gradient (softmax − labels) together in a few fused passes, and the backward
// is one product. Other backends keep tfjs' composition (same values to float rounding).
import * as tf from '@tensorflow/tfjs';
import { executeNativeOp, nativeOpProbe } from './rnn/native-ops';

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
