// Beam search, batched over sentences × beams.
//
// Rows of the model state are the alive hypotheses of all unfinished sentences, sentence after
// sentence. Each step scores every row, keeps per sentence the best `beamSize` continuations
// (ranked by log-probability; all candidates of a step have the same length, so this equals
// ranking by the length-penalised score), moves hypotheses that emit EOS to the finished list
// (scored with the GNMT length penalty) and gathers the surviving rows' state. A sentence stops
// when it has `nBest` finished hypotheses and no alive one scores better than the n-th of them
// at its current length; finished sentences leave the batch. With beamSize 1 this is greedy search.
import * as tf from '@tensorflow/tfjs';
import { constrainRow, lengthBounds, lengthPenalty } from './constraints';
import { disposeState, readRows, selectRows } from './state';
import type { Hypothesis, SearchInput, SearchOptions, SearchState } from './types';

/** A node of the hypothesis tree: the token emitted at a step and that step's attention. */
interface Node {
  token: number;
  parent: Node | undefined;
  attention: number[] | undefined;
}

interface Alive {
  tokens: number[];
  logProb: number;
  node: Node | undefined;
}

function attentionOf(node: Node | undefined): number[][] {
  const rows: number[][] = [];
  for (let n = node; n; n = n.parent) if (n.attention) rows.push(n.attention);
  return rows.reverse();
}

/** Indices of the `k` largest finite values of `row`, largest first. */
export function topK(row: Float32Array, k: number): number[] {
  const idx: number[] = [];
  for (let v = 0; v < row.length; v++) {
    const x = row[v]!;
    if (x === -Infinity || Number.isNaN(x)) continue;
    if (idx.length === k && x <= row[idx[k - 1]!]!) continue;
    let i = idx.length === k ? k - 1 : idx.length;
    while (i > 0 && row[idx[i - 1]!]! < x) {
      idx[i] = idx[i - 1]!;
      i--;
    }
    idx[i] = v;
  }
  return idx;
}

/** Beam search; returns up to `nBest` hypotheses per sentence, best first. */
export async function beamSearch(input: SearchInput, opts: SearchOptions = {}): Promise<Hypothesis[][]> {
  const { model, srcLengths, bos, eos } = input;
  const K = Math.max(1, opts.beamSize ?? 5);
  const nBest = Math.min(K, Math.max(1, opts.nBest ?? 1));
  const alpha = opts.alpha ?? 0;
  const ngram = opts.noRepeatNgram ?? 0;
  const wantAttention = opts.returnAttention ?? true;
  const bounds = srcLengths.map((len) => lengthBounds(len, opts));
  const finished: Hypothesis[][] = srcLengths.map(() => []);
  const finishedNodes: (Node | undefined)[][] = srcLengths.map(() => []);
  /** Alive hypotheses per active sentence, in row order. */
  let active = srcLengths.map((_, s) => ({ s, alive: [{ tokens: [], logProb: 0, node: undefined }] as Alive[] }));
  let state: SearchState = selectRows(
    input.initialState,
    active.map((a) => a.s),
  );

  while (active.length > 0) {
    const prev = active.flatMap((a) => a.alive.map((h) => h.tokens.at(-1) ?? bos));
    const prevT = tf.tensor1d(Int32Array.from(prev), 'int32');
    const out = model.step(prevT, state);
    prevT.dispose();
    disposeState(state);
    const rows = await readRows(out.logProbs);
    const attn = wantAttention && out.attention ? await readRows(out.attention) : undefined;
    out.logProbs.dispose();
    out.attention?.dispose();

    const nextActive: typeof active = [];
    const parentRows: number[] = [];
    let row0 = 0;
    for (const { s, alive } of active) {
      // Candidates: the best K per alive row, merged and ranked by total log-probability.
      const cands: { r: number; v: number; total: number }[] = [];
      alive.forEach((h, i) => {
        const row = rows[row0 + i]!;
        constrainRow(row, h.tokens, eos, bounds[s]!, ngram);
        for (const v of topK(row, K + 1)) cands.push({ r: i, v, total: h.logProb + row[v]! });
      });
      cands.sort((a, b) => b.total - a.total);
      const nextAlive: Alive[] = [];
      const len = alive[0]!.tokens.length + 1;
      cands.forEach((c, rank) => {
        if (nextAlive.length >= K) return;
        const h = alive[c.r]!;
        const a = attn ? Array.from(attn[row0 + c.r]!.subarray(0, srcLengths[s])) : undefined;
        const node: Node = { token: c.v, parent: h.node, attention: a };
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
    state = selectRows(out.state, parentRows);
    disposeState(out.state);
    active = nextActive;
  }
  disposeState(state);

  return finished.map((list, s) => {
    const order = list.map((_, i) => i).sort((a, b) => list[b]!.score - list[a]!.score);
    return order.slice(0, nBest).map((i) => {
      const h = list[i]!;
      return wantAttention ? { ...h, attention: attentionOf(finishedNodes[s]![i]) } : h;
    });
  });
}
