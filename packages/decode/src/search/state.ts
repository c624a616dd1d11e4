// Row bookkeeping for searches: select rows of a search state, dispose states, advance all rows one step.
import * as tf from '@tensorflow/tfjs';
import type { AttentionLog } from './attention-log';
import type { SearchState, StepModel } from './types';

/** A new state holding rows `rows` of `state` (in that order). */
export function selectRows(state: SearchState, rows: readonly number[]): SearchState {
  return tf.tidy(() => {
    const idx = tf.tensor1d(Int32Array.from(rows), 'int32');
    const out: SearchState = {};
    for (const [k, v] of Object.entries(state)) out[k] = tf.gather(v, idx);
    return out;
  });
}

export function disposeState(state: SearchState): void {
  for (const v of Object.values(state)) v.dispose();
}

/**
 * Feeds `prev` (one token per row) to the model, frees the old state and logs the step's attention when
 * `attention` is given (its AttentionLog row comes back as `attentionRow`, else the attention is freed).
 * The caller owns the returned state and log-probabilities.
 */
export function advance(
  model: StepModel,
  prev: readonly number[],
  state: SearchState,
  attention: AttentionLog | undefined,
): { state: SearchState; logProbs: tf.Tensor2D; attentionRow: number | undefined } {
  const prevT = tf.tensor1d(Int32Array.from(prev), 'int32');
  const out = model.step(prevT, state);
  prevT.dispose();
  disposeState(state);
  const attentionRow = attention && out.attention ? attention.add(out.attention) : undefined;
  if (attentionRow === undefined) out.attention?.dispose();
  return { state: out.state, logProbs: out.logProbs, attentionRow };
}
