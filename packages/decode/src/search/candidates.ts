// Per-step candidate selection on the device. The searches used to read every step's [rows, vocab]
// log-probabilities into JavaScript; on tfjs-node that copies the whole matrix out of libtensorflow at every
// step. Now tf.topk runs where the tensor lives and one small tensor is read per step: each row's best `k`
// (plus a few spare) log-probabilities, their token ids and, when a row must stop, its EOS log-probability.
// Length and n-gram constraints drop candidates after the read; topk fetches as many spares as a row can lose,
// so the result equals constraining the full row first. Every backend breaks ties by the lower token id, as the
// JavaScript scan did, and the searches keep summing scores in float64: results are unchanged.
import * as tf from '@tensorflow/tfjs';
import { bannedTokens } from './constraints';

/** What a row may emit at this step. */
export interface RowConstraint {
  /** The row reached its maximum length: EOS is its only continuation. */
  forceEos: boolean;
  /** Tokens the row may not emit (EOS before the minimum length, tokens repeating an n-gram). */
  blocked: ReadonlySet<number>;
}

/** One continuation of a row: a token and its log-probability. */
export interface Candidate {
  token: number;
  logProb: number;
}

/** The constraint for a hypothesis with output `tokens` (EOS excluded) under `bounds` and no-repeat-n-gram `n`. */
export function rowConstraint(
  tokens: readonly number[],
  eos: number,
  bounds: { min: number; max: number },
  noRepeatNgram: number,
): RowConstraint {
  if (tokens.length >= bounds.max) return { forceEos: true, blocked: new Set() };
  const blocked = bannedTokens(tokens, noRepeatNgram);
  if (tokens.length < bounds.min) blocked.add(eos);
  return { forceEos: false, blocked };
}

/**
 * The best `k` allowed continuations of each row of `logProbs` [rows, vocab], best first (finite values only,
 * ties by lower token id). A row forced to stop gets EOS alone, with its log-probability (0 if not finite).
 * Reads one [rows, 2·k' (+1)] tensor; token ids travel as float32, exact below 2²⁴ (any real vocabulary).
 */
export async function topCandidates(
  logProbs: tf.Tensor2D,
  k: number,
  eos: number,
  constraints: readonly RowConstraint[],
): Promise<Candidate[][]> {
  const [rows, vocab] = logProbs.shape;
  const spare = Math.max(0, ...constraints.map((c) => (c.forceEos ? 0 : c.blocked.size)));
  const width = Math.min(vocab, k + spare);
  const withEos = constraints.some((c) => c.forceEos);
  const packed = tf.tidy(() => {
    const { values, indices } = tf.topk(logProbs, width);
    const parts: tf.Tensor2D[] = [values, tf.cast(indices, 'float32')];
    if (withEos) parts.push(tf.slice(logProbs, [0, eos], [rows, 1]));
    return tf.concat(parts, 1);
  });
  const flat = (await packed.data()) as Float32Array;
  packed.dispose();
  const stride = 2 * width + (withEos ? 1 : 0);
  return constraints.map((c, r) => {
    const at = r * stride;
    if (c.forceEos) {
      const e = flat[at + 2 * width]!;
      return [{ token: eos, logProb: Number.isFinite(e) ? e : 0 }];
    }
    const out: Candidate[] = [];
    for (let j = 0; j < width && out.length < k; j++) {
      const logProb = flat[at + j]!;
      const token = flat[at + width + j]!;
      if (logProb === -Infinity || Number.isNaN(logProb) || c.blocked.has(token)) continue;
      out.push({ token, logProb });
    }
    return out;
  });
}
