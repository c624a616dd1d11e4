// Attention kept on the device during a search. Each step's [rows, srcLen] weights stay a tensor; a
// hypothesis remembers, per output token, the row it came from (a global row number over all steps). At the
// end the rows of the returned hypotheses are gathered and read at once, so no step reads attention.
import * as tf from '@tensorflow/tfjs';

export class AttentionLog {
  private steps: tf.Tensor2D[] = [];
  private rows = 0;

  /** Takes ownership of one step's attention; returns the global row number of its first row. */
  add(attention: tf.Tensor2D): number {
    const first = this.rows;
    this.steps.push(attention);
    this.rows += attention.shape[0];
    return first;
  }

  /**
   * The attention of each path (a hypothesis' global row numbers, one per output token), each row cut to
   * `widths[i]` source positions: [path][token][source position]. One read.
   */
  async read(paths: readonly (readonly number[])[], widths: readonly number[]): Promise<number[][][]> {
    const all = paths.flat();
    if (all.length === 0) return paths.map(() => []);
    const picked = tf.tidy(() => {
      const log = this.steps.length === 1 ? this.steps[0]! : tf.concat(this.steps, 0);
      return tf.gather(log, tf.tensor1d(Int32Array.from(all), 'int32')) as tf.Tensor2D;
    });
    const cols = picked.shape[1];
    const flat = (await picked.data()) as Float32Array;
    picked.dispose();
    let at = 0;
    return paths.map((path, i) =>
      path.map(() => {
        const row = Array.from(flat.subarray(at * cols, at * cols + widths[i]!));
        at++;
        return row;
      }),
    );
  }

  dispose(): void {
    tf.dispose(this.steps);
    this.steps = [];
    this.rows = 0;
  }
}
