// Greedy search: at each step every sentence takes its most probable next token.
// Batched over sentences; finished sentences drop out of the batch.
import * as tf from '@tensorflow/tfjs';
import { constrainRow, lengthBounds, lengthPenalty } from './constraints';
import { disposeState, readRows, selectRows } from './state';
import type { Hypothesis, SearchInput, SearchOptions, SearchState } from './types';

/** Greedy decoding; returns one hypothesis per sentence (wrapped in a list, like beam search's n-best). */
export async function greedySearch(input: SearchInput, opts: SearchOptions = {}): Promise<Hypothesis[][]> {
  const { model, srcLengths, bos, eos } = input;
  const n = srcLengths.length;
  const bounds = srcLengths.map((len) => lengthBounds(len, opts));
  const wantAttention = opts.returnAttention ?? true;
  const hyps = srcLengths.map(() => ({ tokens: [] as number[], logProb: 0, attention: [] as number[][], done: false }));
  let active = Array.from({ length: n }, (_, i) => i);
  let state: SearchState = selectRows(input.initialState, active);
  let prev = active.map(() => bos);
  while (active.length > 0) {
    const prevT = tf.tensor1d(Int32Array.from(prev), 'int32');
    const out = model.step(prevT, state);
    prevT.dispose();
    disposeState(state);
    state = out.state;
    const rows = await readRows(out.logProbs);
    const attn = wantAttention && out.attention ? await readRows(out.attention) : undefined;
    out.logProbs.dispose();
    out.attention?.dispose();
    const keep: number[] = [];
    const next: number[] = [];
    active.forEach((s, r) => {
      const h = hyps[s]!;
      const row = rows[r]!;
      constrainRow(row, h.tokens, eos, bounds[s]!, opts.noRepeatNgram ?? 0);
      let best = 0;
      for (let v = 1; v < row.length; v++) if (row[v]! > row[best]!) best = v;
      h.logProb += row[best]!;
      if (attn) h.attention.push(Array.from(attn[r]!.subarray(0, srcLengths[s])));
      if (best === eos) h.done = true;
      else {
        h.tokens.push(best);
        keep.push(r);
        next.push(best);
      }
    });
    if (keep.length < active.length) {
      const selected = selectRows(state, keep);
      disposeState(state);
      state = selected;
      active = keep.map((r) => active[r]!);
    }
    prev = next;
  }
  disposeState(state);
  const alpha = opts.alpha ?? 0;
  return hyps.map((h) => [
    {
      tokens: h.tokens,
      logProb: h.logProb,
      score: h.logProb / lengthPenalty(h.tokens.length + 1, alpha),
      ...(wantAttention ? { attention: h.attention } : {}),
    },
  ]);
}
