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

  apply<T extends tf.Tensor>(x: T, rate: number): T {
    if (!this.training || rate <= 0) return x;
    return tf.dropout(x, rate, undefined, this.base * 7919 + this.calls++) as T;
  }
}
