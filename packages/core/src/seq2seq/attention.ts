// Attention over encoder outputs: Bahdanau (additive), Luong dot and Luong general.
// Keys are projected once per sentence (`attentionKeys`); each decoder step scores them against its query.
import * as tf from '@tensorflow/tfjs';
import type { AttentionType } from './model-config';
import type { Params } from './params';

/** Creates the attention's parameters: query size = decoder hidden, value size = encoder output width. */
export function createAttention(p: Params, type: AttentionType, encSize: number, decSize: number): void {
  if (type === 'general') p.matrix('att/key', encSize, decSize);
  if (type === 'bahdanau') {
    p.matrix('att/key', encSize, decSize);
    p.matrix('att/query', decSize, decSize);
    p.matrix('att/v', decSize, 1);
  }
}

/** Projects encoder outputs [B, S, E] into keys [B, S, A] (dot: the outputs themselves). */
export function attentionKeys(p: Params, type: AttentionType, enc: tf.Tensor3D): tf.Tensor3D {
  if (type === 'dot') return enc.clone();
  const [b, s, e] = enc.shape;
  const w = p.vars['att/key']!;
  return tf.matMul(enc.reshape([b * s, e]), w).reshape([b, s, w.shape[1]!]);
}

/**
 * Attends with `query` [B, H] over `keys` [B, S, A] and values `enc` [B, S, E]; `mask` [B, S] is 1 at real
 * source tokens. Returns the context [B, E] and the weights [B, S], which sum to 1 over real tokens.
 */
export function attend(
  p: Params,
  type: AttentionType,
  query: tf.Tensor2D,
  keys: tf.Tensor3D,
  enc: tf.Tensor3D,
  mask: tf.Tensor2D,
): { context: tf.Tensor2D; weights: tf.Tensor2D } {
  const [b, s, a] = keys.shape;
  let scores: tf.Tensor2D;
  if (type === 'bahdanau') {
    const q = tf.matMul(query, p.vars['att/query']!).reshape([b, 1, a]);
    const hidden = tf.tanh(tf.add(keys, q)).reshape([b * s, a]);
    scores = tf.matMul(hidden, p.vars['att/v']!).reshape([b, s]);
  } else {
    scores = tf.matMul(keys, query.reshape([b, a, 1])).reshape([b, s]);
  }
  const masked = tf.add(scores, tf.mul(tf.sub(1, mask), -1e9));
  const weights = tf.softmax(masked) as tf.Tensor2D;
  const context = tf.matMul(weights.reshape([b, 1, s]), enc).reshape([b, enc.shape[2]]) as tf.Tensor2D;
  return { context, weights };
}
