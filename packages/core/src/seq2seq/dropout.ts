// Seeded dropout: every call in a training step draws from (step seed, call index), so a resumed
// run repeats the same masks as an uninterrupted one.
import * as tf from '@tensorflow/tfjs';

export class Dropout {
  private base = 0;
  private calls = 0;
  /** True while training; dropout is the identity otherwise. */
  training = false;

  /** Starts a training step: masks derive from `seed` from now on. */
  reseed(seed: number): void {
    this.base = seed;
    this.calls = 0;
  }

  /** The seed of the next random draw in this step. */
  nextSeed(): number {
    return this.base * 7919 + this.calls++;
  }

  /**
   * Source word dropout (Sennrich & Zhang 2019): each real token of `ids` becomes `unk` with probability `rate`.
   * `mask` is 1 at real tokens.
   */
  dropWords(ids: tf.Tensor2D, mask: tf.Tensor2D, rate: number, unk: number): tf.Tensor2D {
    if (!this.training || rate <= 0) return ids;
    const r = tf.randomUniform(ids.shape, 0, 1, 'float32', this.nextSeed());
    const hit = tf.logicalAnd(tf.less(r, rate), tf.greater(mask, 0));
    return tf.where(hit, tf.fill(ids.shape, unk, 'int32'), ids) as tf.Tensor2D;
  }

  apply<T extends tf.Tensor>(x: T, rate: number): T {
    if (!this.training || rate <= 0) return x;
    return tf.dropout(x, rate, undefined, this.base * 7919 + this.calls++) as T;
  }
}
