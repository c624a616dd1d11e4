// A model's trainable variables by name, created from a seed so the same config and seed give the same model.
import * as tf from '@tensorflow/tfjs';

let instances = 0;

/** Named variables with deterministic initialisation; names are the keys of weight files. */
export class Params {
  readonly vars: Record<string, tf.Variable> = {};
  /** A per-instance prefix keeps tfjs' global variable names unique when several models are loaded. */
  readonly prefix = `seq2seq${++instances}`;
  private next: number;

  constructor(seed: number) {
    this.next = seed * 1000 + 17;
  }

  /** A fresh seed for the next initialiser (deterministic in creation order). */
  seed(): number {
    return this.next++;
  }

  /** The unique tfjs name of parameter `name`. */
  fullName(name: string): string {
    return `${this.prefix}/${name}`;
  }

  add(name: string, value: tf.Tensor): tf.Variable {
    const v = tf.variable(value, true, this.fullName(name));
    value.dispose();
    this.vars[name] = v;
    return v;
  }

  /** Glorot-uniform matrix [rows, cols]. */
  matrix(name: string, rows: number, cols: number): tf.Variable {
    const limit = Math.sqrt(6 / (rows + cols));
    return this.add(name, tf.randomUniform([rows, cols], -limit, limit, 'float32', this.seed()));
  }

  zeros(name: string, shape: number[]): tf.Variable {
    return this.add(name, tf.zeros(shape));
  }

  /** Embedding table [vocab, dim], uniform ±0.1 (Joey NMT's default). */
  embedding(name: string, vocab: number, dim: number): tf.Variable {
    return this.add(name, tf.randomUniform([vocab, dim], -0.1, 0.1, 'float32', this.seed()));
  }

  /** Registers variables created elsewhere (e.g. the engine's recurrent weights) under `name/<key>`. */
  adopt(name: string, weights: { [key: string]: tf.Variable }): void {
    for (const [k, v] of Object.entries(weights)) this.vars[`${name}/${k}`] = v;
  }

  dispose(): void {
    for (const v of Object.values(this.vars)) v.dispose();
  }
}
