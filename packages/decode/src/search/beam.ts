// Beam search, batched over sentences × beams.
//
// Rows of the model state are the alive hypotheses of all unfinished sentences, sentence after
// sentence. Each step scores every row, keeps per sentence the best `beamSize` continuations
// (ranked by log-probability; all candidates of a step have the same length, so this equals
// ranking by the length-penalised score), moves hypotheses that emit EOS to the finished list
// (scored with the GNMT length penalty) and gathers the surviving rows' state. A sentence stops
// when it has `nBest` finished hypotheses and no alive one scores better than the n-th of them
// at its current length; finished sentences leave the batch. With beamSize 1 this is greedy search.
// Tensors stay on the device: each step reads only every row's best beamSize + 1 continuations
// (candidates.ts); the state is reordered with tf.gather and attention is read once at the end.
import { AttentionLog } from './attention-log';
import { rowConstraint, topCandidates } from './candidates';
import { lengthBounds, lengthPenalty } from './constraints';
import { advance, disposeState, selectRows } from './state';
import { searchSettings, type Hypothesis, type SearchInput, type SearchOptions, type SearchState } from './types';

/** A node of the hypothesis tree: the token emitted at a step and that step's attention row (AttentionLog's). */
interface Node {
  token: number;
  parent: Node | undefined;
  attentionRow: number | undefined;
}

interface Alive {
  tokens: number[];
  logProb: number;
  node: Node | undefined;
}

/** The attention rows of a hypothesis, first token first. */
function attentionPath(node: Node | undefined): number[] {
  const rows: number[] = [];
  for (let n = node; n; n = n.parent) if (n.attentionRow !== undefined) rows.push(n.attentionRow);
  return rows.reverse();
}

/** Beam search; returns up to `nBest` hypotheses per sentence, best first. */
export async function beamSearch(input: SearchInput, options: SearchOptions = {}): Promise<Hypothesis[][]> {
  const { model, srcLengths, bos, eos } = input;
  const opts = searchSettings(options);
  const K = Math.max(1, opts.beamSize);
  const nBest = Math.min(K, Math.max(1, opts.nBest));
  const alpha = opts.alpha;
  const ngram = opts.noRepeatNgram;
  const wantAttention = opts.returnAttention;
  const bounds = srcLengths.map((len) => lengthBounds(len, opts));
  const finished: Hypothesis[][] = srcLengths.map(() => []);
  const finishedNodes: (Node | undefined)[][] = srcLengths.map(() => []);
  const attention = new AttentionLog();
  /** Alive hypotheses per active sentence, in row order. */
  let active = srcLengths.map((_, s) => ({ s, alive: [{ tokens: [], logProb: 0, node: undefined }] as Alive[] }));
  let state: SearchState = selectRows(
    input.initialState,
    active.map((a) => a.s),
  );

  try {
    while (active.length > 0) {
      const prev = active.flatMap((a) => a.alive.map((h) => h.tokens.at(-1) ?? bos));
      const out = advance(model, prev, state, wantAttention ? attention : undefined);
      state = out.state;
      const attn0 = out.attentionRow;
      const constraints = active.flatMap(({ s, alive }) =>
        alive.map((h) => rowConstraint(h.tokens, eos, bounds[s]!, ngram)),
      );
      const rows = await topCandidates(out.logProbs, K + 1, eos, constraints).finally(() => out.logProbs.dispose());

      const nextActive: typeof active = [];
      const parentRows: number[] = [];
      let row0 = 0;
      for (const { s, alive } of active) {
        // Candidates: the best K + 1 per alive row, merged and ranked by total log-probability.
        const cands: { r: number; v: number; total: number }[] = [];
        alive.forEach((h, i) => {
          for (const c of rows[row0 + i]!) cands.push({ r: i, v: c.token, total: h.logProb + c.logProb });
        });
        cands.sort((a, b) => b.total - a.total);
        const nextAlive: Alive[] = [];
        const len = alive[0]!.tokens.length + 1;
        cands.forEach((c, rank) => {
          if (nextAlive.length >= K) return;
          const h = alive[c.r]!;
          const node: Node = {
            token: c.v,
            parent: h.node,
            attentionRow: attn0 === undefined ? undefined : attn0 + row0 + c.r,
          };
          if (c.v === eos) {
            if (rank >= K) return;
            finished[s]!.push({ tokens: h.tokens, logProb: c.total, score: c.total / lengthPenalty(len, alpha) });
            finishedNodes[s]!.push(node);
          } else {
            nextAlive.push({ tokens: [...h.tokens, c.v], logProb: c.total, node });
            parentRows.push(row0 + c.r);
          }
        });
        row0 += alive.length;
        const fin = finished[s]!.map((f) => f.score).sort((a, b) => b - a);
        const bestAlive = nextAlive.length ? nextAlive[0]!.logProb / lengthPenalty(len, alpha) : -Infinity;
        const done = nextAlive.length === 0 || (fin.length >= nBest && bestAlive <= fin[nBest - 1]!);
        if (done) parentRows.splice(parentRows.length - nextAlive.length, nextAlive.length);
        else nextActive.push({ s, alive: nextAlive });
      }
      const reordered = selectRows(state, parentRows);
      disposeState(state);
      state = reordered;
      active = nextActive;
    }

    const best = finished.map((list) =>
      list
        .map((_, i) => i)
        .sort((a, b) => list[b]!.score - list[a]!.score)
        .slice(0, nBest),
    );
    if (!wantAttention) return best.map((order, s) => order.map((i) => finished[s]![i]!));
    const paths = best.flatMap((order, s) => order.map((i) => attentionPath(finishedNodes[s]![i])));
    const widths = best.flatMap((order, s) => order.map(() => srcLengths[s]!));
    const rowsRead = await attention.read(paths, widths);
    let at = 0;
    return best.map((order, s) => order.map((i) => ({ ...finished[s]![i]!, attention: rowsRead[at++]! })));
  } finally {
    disposeState(state);
    attention.dispose();
  }
}
