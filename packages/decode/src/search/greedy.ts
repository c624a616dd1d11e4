// Greedy search: at each step every sentence takes its most probable next token.
// Batched over sentences; finished sentences drop out of the batch. Each step reads only every row's best
// allowed token (candidates.ts); attention stays on the device until the end.
import { AttentionLog } from './attention-log';
import { rowConstraint, topCandidates } from './candidates';
import { lengthBounds, lengthPenalty } from './constraints';
import { advance, disposeState, selectRows } from './state';
import { searchSettings, type Hypothesis, type SearchInput, type SearchOptions, type SearchState } from './types';

/** Greedy decoding; returns one hypothesis per sentence (wrapped in a list, like beam search's n-best). */
export async function greedySearch(input: SearchInput, options: SearchOptions = {}): Promise<Hypothesis[][]> {
  const { model, srcLengths, bos, eos } = input;
  const opts = searchSettings(options);
  const n = srcLengths.length;
  const bounds = srcLengths.map((len) => lengthBounds(len, opts));
  const wantAttention = opts.returnAttention;
  const ngram = opts.noRepeatNgram;
  /** Per sentence: output tokens, summed log-probability and the AttentionLog row of each step. */
  const hyps = srcLengths.map(() => ({ tokens: [] as number[], logProb: 0, attentionRows: [] as number[] }));
  const attention = new AttentionLog();
  let active = Array.from({ length: n }, (_, i) => i);
  let state: SearchState = selectRows(input.initialState, active);
  let prev = active.map(() => bos);
  try {
    while (active.length > 0) {
      const out = advance(model, prev, state, wantAttention ? attention : undefined);
      state = out.state;
      const attn0 = out.attentionRow;
      const constraints = active.map((s) => rowConstraint(hyps[s]!.tokens, eos, bounds[s]!, ngram));
      const rows = await topCandidates(out.logProbs, 1, eos, constraints).finally(() => out.logProbs.dispose());
      const keep: number[] = [];
      const next: number[] = [];
      active.forEach((s, r) => {
        const h = hyps[s]!;
        // No allowed finite continuation: token 0 at -Infinity, as an argmax over an all -Infinity row picks.
        const best = rows[r]![0] ?? { token: 0, logProb: -Infinity };
        h.logProb += best.logProb;
        if (attn0 !== undefined) h.attentionRows.push(attn0 + r);
        if (best.token !== eos) {
          h.tokens.push(best.token);
          keep.push(r);
          next.push(best.token);
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
    const attentionRows = wantAttention
      ? await attention.read(
          hyps.map((h) => h.attentionRows),
          srcLengths,
        )
      : undefined;
    const alpha = opts.alpha;
    return hyps.map((h, s) => [
      {
        tokens: h.tokens,
        logProb: h.logProb,
        score: h.logProb / lengthPenalty(h.tokens.length + 1, alpha),
        ...(attentionRows ? { attention: attentionRows[s]! } : {}),
      },
    ]);
  } finally {
    disposeState(state);
    attention.dispose();
  }
}
