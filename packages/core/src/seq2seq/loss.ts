// Label-smoothed cross-entropy with padding masked out.
import * as tf from '@tensorflow/tfjs';
import { smoothedSoftmaxCrossEntropy, smoothedSoftmaxCrossEntropyAvailable } from '@parley/engine';

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
  const { perToken, nll } = smoothedSoftmaxCrossEntropyAvailable()
    ? fusedTerms(logits, targets, smoothing)
    : composedTerms(logits, targets, smoothing);
  const tokens = tf.maximum(tf.sum(mask), 1) as tf.Scalar;
  return {
    loss: tf.div(tf.sum(tf.mul(perToken, mask)), tokens) as tf.Scalar,
    nllSum: tf.sum(tf.mul(nll, mask)) as tf.Scalar,
    tokens,
  };
}

/** Per-token smoothed loss and plain NLL [N]. */
interface TokenTerms {
  perToken: tf.Tensor1D;
  nll: tf.Tensor1D;
}

/**
 * One fused op on node and wasm (see @parley/engine's softmax-cross-entropy.ts). With q the smoothed target and
 * lse = log Σ exp(logits), the loss is lse − Σ q·logits, so the plain NLL lse − logits[gold] is
 * loss − ε·(logits[gold] − mean(logits)): one gather and one row mean, outside the gradient's path.
 */
function fusedTerms(logits: tf.Tensor2D, targets: tf.Tensor1D, smoothing: number): TokenTerms {
  const [n, v] = logits.shape;
  const perToken = smoothedSoftmaxCrossEntropy(logits, targets, smoothing);
  if (smoothing === 0) return { perToken, nll: perToken };
  const rowStarts = tf.range(0, n * v, v, 'int32');
  const goldLogit = tf.gather(logits.reshape([n * v]), tf.add(rowStarts, tf.cast(targets, 'int32')));
  const nll = tf.sub(perToken, tf.mul(tf.sub(goldLogit, tf.mean(logits, 1)), smoothing)) as tf.Tensor1D;
  return { perToken, nll };
}

/** tfjs' composition: logSoftmax, the gold log-probability and the mean log-probability. */
function composedTerms(logits: tf.Tensor2D, targets: tf.Tensor1D, smoothing: number): TokenTerms {
  const v = logits.shape[1];
  const logp = tf.logSoftmax(logits);
  // (cast: the wasm OneHot kernel ignores the dtype argument)
  const gold = tf.cast(tf.oneHot(targets, v), 'float32');
  const nll = tf.neg(tf.sum(tf.mul(gold, logp), 1)) as tf.Tensor1D;
  const perToken =
    smoothing > 0
      ? (tf.add(tf.mul(nll, 1 - smoothing), tf.mul(tf.neg(tf.mean(logp, 1)), smoothing)) as tf.Tensor1D)
      : nll;
  return { perToken, nll };
}
