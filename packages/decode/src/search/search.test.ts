import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import {
  bannedTokens,
  beamSearch,
  greedySearch,
  lengthBounds,
  lengthPenalty,
  replaceUnknown,
  rowConstraint,
  topCandidates,
} from './index';
import type { Hypothesis, SearchInput, SearchState, StepModel } from './index';

const V = 7;
const BOS = 0;
const EOS = 1;

/** A toy "decoder": next-token logits = table[prev] + a per-sentence bias; attention peaks at step mod srcLen. */
function toyModel(seed: number): StepModel & { calls: number } {
  const table = tf.randomNormal([V, V], 0, 2, 'float32', seed);
  const m = {
    calls: 0,
    step(prev: tf.Tensor1D, state: SearchState) {
      m.calls++;
      return tf.tidy(() => {
        const logits = tf.add(tf.gather(table, prev), state.bias!);
        const t = state.t!;
        const scores = tf.mul(
          tf.cast(tf.equal(tf.range(0, 4, 1, 'float32').expandDims(0), tf.mod(t, 4)), 'float32'),
          5,
        );
        const masked = tf.add(scores, tf.mul(tf.sub(1, state.mask!), -1e9));
        return {
          logProbs: tf.logSoftmax(logits) as tf.Tensor2D,
          attention: tf.softmax(masked) as tf.Tensor2D,
          state: { bias: state.bias!.clone(), mask: state.mask!.clone(), t: tf.add(t, 1) },
        };
      });
    },
  };
  return m;
}

function input(model: StepModel, n: number, seed: number): SearchInput {
  const srcLengths = Array.from({ length: n }, (_, i) => 2 + (i % 3));
  const mask = tf.tensor2d(
    srcLengths.flatMap((len) => [0, 1, 2, 3].map((j) => (j < len ? 1 : 0))),
    [n, 4],
  );
  return {
    model,
    initialState: { bias: tf.randomNormal([n, V], 0, 1, 'float32', seed), mask, t: tf.zeros([n, 1]) },
    srcLengths,
    bos: BOS,
    eos: EOS,
  };
}

/**
 * The same n-best up to ties: scores agree position by position, and each hypothesis is in the other list
 * with the same score, unless its score ties (within 1e-5) with another one or it is the last one —
 * tied hypotheses may swap places when a backend's arithmetic differs at 1e-7 (libtensorflow vs wasm).
 */
function expectSameNBest(a: Hypothesis[], b: Hypothesis[]): void {
  expect(a.length).toBe(b.length);
  // The last one may tie with a hypothesis past the cut, which this list does not show.
  const tied = (h: Hypothesis) => h === a.at(-1) || a.some((o) => o !== h && Math.abs(o.score - h.score) < 1e-5);
  a.forEach((h, j) => {
    expect(h.score).toBeCloseTo(b[j]!.score, 4);
    const same = b.find((o) => o.tokens.join() === h.tokens.join());
    if (!tied(h)) expect(same, `hypothesis ${h.tokens.join(' ')}`).toBeDefined();
    if (same) expect(same.score).toBeCloseTo(h.score, 4);
  });
}

function sliceInput(inp: SearchInput, i: number): SearchInput {
  const state: SearchState = {};
  for (const [k, v] of Object.entries(inp.initialState)) state[k] = tf.slice(v, [i], [1]);
  return { ...inp, initialState: state, srcLengths: [inp.srcLengths[i]!] };
}

beforeAll(async () => {
  await initBackend();
});

describe('search helpers', () => {
  it('topCandidates equals constraining the whole row in JS and scanning it (ties to the lower id)', async () => {
    // Rows with ties, -Infinity, a blocked EOS, n-gram bans and a row forced to stop.
    const rows = [
      [0.1, -Infinity, 3, 2, 5, 3, 3, -1],
      [-2, -0.5, -0.5, -0.5, -7, -0.5, -3, -Infinity],
      [-Infinity, -Infinity, -Infinity, -Infinity, -4, -Infinity, -Infinity, -Infinity],
      [1, 2, 3, 4, 5, 6, 7, 8],
      [1, -Infinity, 3, 4, 5, 6, 7, 8],
    ];
    const EOS_ID = 1;
    const constraints = [
      rowConstraint([], EOS_ID, { min: 0, max: 9 }, 0),
      rowConstraint([3, 2, 3], EOS_ID, { min: 5, max: 9 }, 2), // EOS and 2 (would repeat "3 2") blocked
      rowConstraint([], EOS_ID, { min: 0, max: 9 }, 0),
      rowConstraint([4, 4], EOS_ID, { min: 0, max: 2 }, 0), // at its maximum length: EOS only
      rowConstraint([4, 4], EOS_ID, { min: 0, max: 2 }, 0), // the same with EOS at -Infinity
    ];
    /** The reference: apply the constraints to the full row, then scan for the k best finite values. */
    const reference = (row: number[], c: (typeof constraints)[number], k: number) => {
      const r = Float32Array.from(row);
      if (c.forceEos) return [{ token: EOS_ID, logProb: Number.isFinite(r[EOS_ID]!) ? r[EOS_ID]! : 0 }];
      for (const t of c.blocked) r[t] = -Infinity;
      return [...r.keys()]
        .filter((v) => Number.isFinite(r[v]!))
        .sort((a, b) => r[b]! - r[a]! || a - b)
        .slice(0, k)
        .map((v) => ({ token: v, logProb: r[v]! }));
    };
    const t = tf.tensor2d(rows);
    for (const k of [1, 3, 6]) {
      const got = await topCandidates(t as tf.Tensor2D, k, EOS_ID, constraints);
      expect(got).toEqual(rows.map((row, i) => reference(row, constraints[i]!, k)));
    }
    t.dispose();
  });
  it('GNMT length penalty', () => {
    expect(lengthPenalty(7, 0)).toBe(1);
    expect(lengthPenalty(7, 1)).toBeCloseTo(2);
  });
  it('length bounds take ratios of the source length', () => {
    expect(lengthBounds(10, { maxLength: 100, maxLengthRatio: 1.5 })).toEqual({ min: 0, max: 15 });
    expect(lengthBounds(10, { minLengthRatio: 0.5 }).min).toBe(5);
  });
  it('no-repeat-n-gram bans the token that would repeat an n-gram', () => {
    expect([...bannedTokens([3, 4, 5, 3], 2)]).toEqual([4]);
    expect([...bannedTokens([3, 4], 3)]).toEqual([]);
  });
  it('unknown words are replaced by the most attended source token', () => {
    expect(
      replaceUnknown(
        ['a', '<unk>'],
        [
          [1, 0],
          [0.2, 0.8],
        ],
        ['x', 'Lisboa'],
        '<unk>',
      ),
    ).toEqual(['a', 'Lisboa']);
  });
});

describe('greedy and beam search', () => {
  it('beam search with beam 1 equals greedy search', async () => {
    const model = toyModel(1);
    const inp = input(model, 6, 2);
    const g = await greedySearch(inp, { maxLength: 12 });
    const b = await beamSearch(inp, { beamSize: 1, maxLength: 12 });
    expect(b.map((h) => h[0]!.tokens)).toEqual(g.map((h) => h[0]!.tokens));
    b.forEach((h, i) => expect(h[0]!.logProb).toBeCloseTo(g[i]![0]!.logProb, 4));
  });

  it('batched beam search gives the same results as one sentence at a time', async () => {
    const model = toyModel(3);
    const inp = input(model, 5, 4);
    const batched = await beamSearch(inp, { beamSize: 4, nBest: 3, maxLength: 10, alpha: 0.6 });
    for (let i = 0; i < 5; i++) {
      const single = await beamSearch(sliceInput(inp, i), { beamSize: 4, nBest: 3, maxLength: 10, alpha: 0.6 });
      expectSameNBest(single[0]!, batched[i]!);
    }
  });

  it('beam search finds hypotheses at least as probable as greedy, n-best sorted by score', async () => {
    const model = toyModel(5);
    const inp = input(model, 8, 6);
    const g = await greedySearch(inp, { maxLength: 10 });
    const b = await beamSearch(inp, { beamSize: 5, nBest: 3, maxLength: 10 });
    b.forEach((nb, i) => {
      expect(nb.length).toBe(3);
      expect(nb[0]!.logProb).toBeGreaterThanOrEqual(g[i]![0]!.logProb - 1e-4);
      for (let j = 1; j < nb.length; j++) expect(nb[j - 1]!.score).toBeGreaterThanOrEqual(nb[j]!.score);
    });
  });

  it('attention rows sum to 1 over the real source tokens, one per output token plus EOS', async () => {
    const model = toyModel(7);
    const inp = input(model, 4, 8);
    const b = await beamSearch(inp, { beamSize: 3, maxLength: 8 });
    b.forEach((nb, i) => {
      const h = nb[0]!;
      expect(h.attention!.length).toBe(h.tokens.length + 1);
      for (const row of h.attention!) {
        expect(row.length).toBe(inp.srcLengths[i]);
        expect(row.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 4);
      }
    });
  });

  it('respects min/max length and no-repeat-n-gram', async () => {
    const model = toyModel(9);
    const inp = input(model, 4, 10);
    for (const search of [greedySearch, beamSearch]) {
      const short = await search(inp, { beamSize: 3, maxLength: 2 });
      for (const nb of short) expect(nb[0]!.tokens.length).toBeLessThanOrEqual(2);
      const long = await search(inp, { beamSize: 3, minLength: 6, maxLength: 9 });
      for (const nb of long) expect(nb[0]!.tokens.length).toBeGreaterThanOrEqual(6);
      const norep = await search(inp, { beamSize: 3, minLength: 8, maxLength: 8, noRepeatNgram: 2 });
      for (const nb of norep) {
        const grams = nb[0]!.tokens.slice(1).map((t, i) => `${nb[0]!.tokens[i]},${t}`);
        expect(new Set(grams).size).toBe(grams.length);
      }
    }
  });

  it('each step reads one small tensor, not the [rows, vocab] log-probabilities', async () => {
    const model = toyModel(13);
    const inp = input(model, 4, 14);
    const reads: number[] = [];
    const proto = tf.Tensor.prototype as unknown as Record<'data' | 'dataSync', (this: tf.Tensor) => unknown>;
    const original = { data: proto.data, dataSync: proto.dataSync };
    for (const name of ['data', 'dataSync'] as const) {
      proto[name] = function (this: tf.Tensor) {
        reads.push(this.size);
        return original[name].call(this);
      };
    }
    try {
      for (const search of [greedySearch, beamSearch]) {
        reads.length = 0;
        model.calls = 0;
        await search(inp, { beamSize: 2, maxLength: 6, returnAttention: true });
        // One read per step (not logProbs and attention) plus one for the attention at the end; a step's
        // read holds each row's (beamSize + 1) best ids and values, and EOS's value when a row must stop.
        expect(reads.length).toBeLessThanOrEqual(model.calls + 1);
        for (const size of reads.slice(0, -1)) expect(size).toBeLessThanOrEqual(4 * 2 * (2 * 3 + 1));
      }
    } finally {
      Object.assign(proto, original);
    }
  });

  it('does not leak tensors', async () => {
    const model = toyModel(11);
    const inp = input(model, 3, 12);
    const before = tf.memory().numTensors;
    await beamSearch(inp, { beamSize: 3, maxLength: 6 });
    await greedySearch(inp, { maxLength: 6 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
