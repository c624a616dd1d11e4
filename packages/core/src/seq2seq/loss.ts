// Label-smoothed cross-entropy with padding masked out.
import * as tf from '@tensorflow/tfjs';

/**
 * Mean over real target tokens of the cross-entropy against a smoothed target distribution
 * (1 − ε on the gold token plus ε spread uniformly over the vocabulary; Szegedy et al. 2016).
 * @param logits [N, V]  @param targets int32 [N]  @param mask [N] with 1 at real tokens.
 * Returns the loss and, separately, the plain (unsmoothed) negative log-likelihood sum for perplexity.
 */
export function smoothedCrossEntropy(
  logits: tf.Tensor2D,
  targets: tf.Tensor1D,
  mask: tf.Tensor1D,
  smoothing: number,
): { loss: tf.Scalar; nllSum: tf.Scalar; tokens: tf.Scalar } {
  const v = logits.shape[1];
  const logp = tf.logSoftmax(logits);
  // (cast: the wasm OneHot kernel ignores the dtype argument)
  const gold = tf.cast(tf.oneHot(targets, v), 'float32');
  const nll = tf.neg(tf.sum(tf.mul(gold, logp), 1));
  const perToken =
    smoothing > 0 ? tf.add(tf.mul(nll, 1 - smoothing), tf.mul(tf.neg(tf.mean(logp, 1)), smoothing)) : nll;
  const tokens = tf.maximum(tf.sum(mask), 1) as tf.Scalar;
  return {
    loss: tf.div(tf.sum(tf.mul(perToken, mask)), tokens) as tf.Scalar,
    nllSum: tf.sum(tf.mul(nll, mask)) as tf.Scalar,
    tokens,
  };
}
