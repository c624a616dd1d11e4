// The char-LM network: embedding → stacked LSTM or GRU (the engine's fused ops) → dropout → softmax.
// It also serves as a SamplingModel for @parley/decode: `step` feeds characters and carries the state,
// so each generated character costs one step of the network.
import * as tf from '@tensorflow/tfjs';
import {
  createGruWeights,
  createLstmWeights,
  embeddingLookup,
  gru,
  gruStep,
  lstm,
  lstmStep,
  type GruWeights,
  type LstmWeights,
} from '@parley/engine';
import type { SamplingModel } from '@parley/decode';
import type { CharLmModelConfig } from './config';
import { fastLstmStep, releaseFastStep } from './fast-step';

/** Recurrent state of every layer: h (and c for LSTM), each [batch, hidden]. */
export interface CharLmState {
  h: tf.Tensor2D[];
  c: tf.Tensor2D[];
}

let instances = 0;

/** Frees a state's tensors. */
export function disposeState(state: CharLmState | undefined): void {
  if (!state) return;
  for (const t of [...state.h, ...state.c]) t.dispose();
}

/** The network and its variables. */
export class CharLmNet implements SamplingModel<CharLmState> {
  readonly embedding: tf.Variable;
  readonly layers: (LstmWeights | GruWeights)[];
  readonly outKernel: tf.Variable;
  readonly outBias: tf.Variable;

  constructor(
    readonly config: CharLmModelConfig,
    readonly vocabSize: number,
    seed = 42,
  ) {
    const id = instances++;
    const { cell, layers, hidden, embedding } = config;
    this.embedding = tf.variable(
      tf.randomUniform([vocabSize, embedding], -0.1, 0.1, 'float32', seed),
      true,
      `charlm${id}/embedding`,
    );
    this.layers = Array.from({ length: layers }, (_, k) => {
      const inSize = k === 0 ? embedding : hidden;
      const opts = { seed: seed + 100 * (k + 1), name: `charlm${id}/${cell}${k}` };
      return cell === 'lstm' ? createLstmWeights(inSize, hidden, opts) : createGruWeights(inSize, hidden, opts);
    });
    const limit = Math.sqrt(6 / (hidden + vocabSize));
    this.outKernel = tf.variable(
      tf.randomUniform([hidden, vocabSize], -limit, limit, 'float32', seed + 7),
      true,
      `charlm${id}/out/kernel`,
    );
    this.outBias = tf.variable(tf.zeros([vocabSize]), true, `charlm${id}/out/bias`);
  }

  /** Every variable under a stable name (the names used in weight files and checkpoints). */
  variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = { embedding: this.embedding };
    this.layers.forEach((w, k) => {
      out[`rnn${k}/kernel`] = w.kernel;
      out[`rnn${k}/recurrentKernel`] = w.recurrentKernel;
      out[`rnn${k}/bias`] = w.bias;
    });
    out['out/kernel'] = this.outKernel;
    out['out/bias'] = this.outBias;
    return out;
  }

  /** Number of trainable numbers. */
  paramCount(): number {
    return Object.values(this.variables()).reduce((n, v) => n + v.size, 0);
  }

  /** A zero state for `batch` rows. */
  zeroState(batch: number): CharLmState {
    const z = () => tf.zeros([batch, this.config.hidden]) as tf.Tensor2D;
    return { h: this.layers.map(z), c: this.config.cell === 'lstm' ? this.layers.map(z) : [] };
  }

  /**
   * ids [batch, time] → logits [batch*time, vocab] and the final state. With `dropout` (training) each
   * layer's outputs are dropped at that rate with masks seeded by `seed`.
   */
  forward(
    ids: tf.Tensor2D,
    state: CharLmState,
    opts: { dropout?: number; seed?: number } = {},
  ): { logits: tf.Tensor2D; state: CharLmState } {
    const [B, T] = ids.shape;
    const rate = opts.dropout ?? 0;
    let x = embeddingLookup(this.embedding, ids) as tf.Tensor3D;
    const next: CharLmState = { h: [], c: [] };
    this.layers.forEach((w, k) => {
      if (this.config.cell === 'lstm') {
        const r = lstm(x, w as LstmWeights, { initialState: { h: state.h[k]!, c: state.c[k]! } });
        next.h.push(r.h);
        next.c.push(r.c);
        x = r.outputs;
      } else {
        const r = gru(x, w as GruWeights, { initialState: state.h[k]! });
        next.h.push(r.h);
        x = r.outputs;
      }
      if (rate > 0)
        x = tf.dropout(x, rate, undefined, opts.seed === undefined ? undefined : opts.seed + k) as tf.Tensor3D;
    });
    const flat = x.reshape([B * T, this.config.hidden]) as tf.Tensor2D;
    return { logits: tf.add(tf.matMul(flat, this.outKernel), this.outBias) as tf.Tensor2D, state: next };
  }

  /** One step for a single character per row: ids [batch] → logits [batch, vocab] (no dropout). */
  forwardStep(ids: tf.Tensor1D, state: CharLmState): { logits: tf.Tensor2D; state: CharLmState } {
    let x = embeddingLookup(this.embedding, ids) as tf.Tensor2D;
    const next: CharLmState = { h: [], c: [] };
    this.layers.forEach((w, k) => {
      if (this.config.cell === 'lstm') {
        const s = lstmStep(x, { h: state.h[k]!, c: state.c[k]! }, w as LstmWeights);
        next.h.push(s.h);
        next.c.push(s.c);
        x = s.h;
      } else {
        x = gruStep(x, state.h[k]!, w as GruWeights);
        next.h.push(x);
      }
    });
    return { logits: tf.add(tf.matMul(x, this.outKernel), this.outBias) as tf.Tensor2D, state: next };
  }

  /** Mean cross-entropy (nats) of logits [n, vocab] against int32 targets [n]. */
  static loss(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => tf.mean(CharLmNet.lossPerRow(logits, targets)) as tf.Scalar);
  }

  /** Cross-entropy (nats) of each row of logits [n, vocab] against int32 targets [n]: [n]. */
  static lossPerRow(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
    return tf.tidy(() => {
      const logp = tf.logSoftmax(logits);
      return tf.neg(tf.sum(tf.mul(logp, tf.oneHot(targets, logits.shape[1])), 1)) as tf.Tensor1D;
    });
  }

  /** SamplingModel: feeds `tokens` (rows of equal length) and returns the next-character logits. */
  async step(
    tokens: number[][],
    state: CharLmState | undefined,
  ): Promise<{ logits: Float32Array; state: CharLmState }> {
    const B = tokens.length;
    const T = tokens[0]!.length;
    const start = state ?? this.zeroState(B);
    if (T === 1 && this.config.cell === 'lstm') {
      const r = fastLstmStep(
        this,
        tokens.map((t) => t[0]!),
        start,
      );
      disposeState(start);
      return r;
    }
    const result = tf.tidy(() => {
      if (T === 1) {
        const r = this.forwardStep(
          tf.tensor1d(
            tokens.map((t) => t[0]!),
            'int32',
          ),
          start,
        );
        return { logits: r.logits, h: r.state.h, c: r.state.c };
      }
      const r = this.forward(tf.tensor2d(tokens.flat(), [B, T], 'int32'), start);
      const last = r.logits
        .reshape([B, T, this.vocabSize])
        .slice([0, T - 1, 0], [B, 1, this.vocabSize])
        .reshape([B, this.vocabSize]);
      return { logits: last as tf.Tensor2D, h: r.state.h, c: r.state.c };
    });
    disposeState(start);
    const logits = (await result.logits.data()) as Float32Array;
    result.logits.dispose();
    return { logits, state: { h: result.h, c: result.c } };
  }

  disposeState(state: CharLmState): void {
    disposeState(state);
  }

  dispose(): void {
    releaseFastStep(this);
    for (const v of Object.values(this.variables())) v.dispose();
  }
}
