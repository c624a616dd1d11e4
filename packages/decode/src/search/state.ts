// Row bookkeeping for searches: select rows of a search state, dispose states.
import * as tf from '@tensorflow/tfjs';
import type { SearchState } from './types';

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
