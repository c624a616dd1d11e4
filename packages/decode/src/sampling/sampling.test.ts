import { describe, expect, it } from 'vitest';
import {
  banTokens,
  createRng,
  generate,
  minLength,
  minP,
  noRepeatNgram,
  repetitionPenalty,
  SAMPLING_DEFAULTS,
  samplingSettings,
  sampleToken,
  softmax,
  temperature,
  topKFilter,
  topP,
  typicalP,
  type GeneratedToken,
  type SamplingModel,
} from './index';

const row = (...v: number[]) => Float32Array.from(v);
const ctx = (tokens: number[] = [], generated = 0) => ({ tokens, generated });
const kept = (l: Float32Array) => Array.from(l.keys()).filter((i) => l[i] !== -Infinity);
const logOf = (...p: number[]) => row(...p.map(Math.log));

describe('logits processors', () => {
  it('temperature divides logits', () => {
    const l = row(2, -4, 0);
    temperature(2)(l, ctx());
    expect(Array.from(l)).toEqual([1, -2, 0]);
    expect(() => temperature(0)).toThrow(/greedy/);
  });

  it('top-k keeps the k best', () => {
    const l = row(1, 5, 3, 4, 2);
    topKFilter(2)(l, ctx());
    expect(kept(l)).toEqual([1, 3]);
  });

  it('top-p keeps exactly the nucleus', () => {
    // probabilities 0.5, 0.3, 0.15, 0.05: p=0.8 keeps {0,1}; p=0.81 also needs 2.
    let l = logOf(0.3, 0.5, 0.05, 0.15);
    topP(0.8)(l, ctx());
    expect(kept(l)).toEqual([0, 1]);
    l = logOf(0.3, 0.5, 0.05, 0.15);
    topP(0.81)(l, ctx());
    expect(kept(l)).toEqual([0, 1, 3]);
    l = logOf(0.3, 0.5, 0.05, 0.15);
    topP(0.1)(l, ctx());
    expect(kept(l)).toEqual([1]);
  });

  it('typical-p keeps the tokens whose surprisal is closest to the entropy', () => {
    const p = [0.4, 0.3, 0.2, 0.1];
    const H = -p.reduce((s, q) => s + q * Math.log(q), 0); // 1.2799
    const order = [0, 1, 2, 3].sort((a, b) => Math.abs(-Math.log(p[a]!) - H) - Math.abs(-Math.log(p[b]!) - H));
    expect(order).toEqual([1, 2, 0, 3]);
    const l = logOf(...p);
    typicalP(0.45)(l, ctx()); // 0.3 < 0.45 → add 0.2 → 0.5
    expect(kept(l)).toEqual([1, 2]);
  });

  it('min-p drops tokens below p × the top probability', () => {
    const l = logOf(0.5, 0.3, 0.15, 0.05);
    minP(0.25)(l, ctx()); // threshold 0.125
    expect(kept(l)).toEqual([0, 1, 2]);
  });

  it('repetition penalty matches its definition', () => {
    const l = row(2, -2, 3, 1);
    repetitionPenalty(2)(l, ctx([0, 1, 0]));
    expect(Array.from(l)).toEqual([1, -4, 3, 1]);
    const w = row(2, -2, 3, 1);
    repetitionPenalty(2, 1)(w, ctx([0, 1]));
    expect(Array.from(w)).toEqual([2, -4, 3, 1]);
  });

  it('no-repeat-n-gram bans tokens completing a seen n-gram', () => {
    const l = row(0, 0, 0, 0);
    noRepeatNgram(2)(l, ctx([1, 2, 3, 1]));
    expect(kept(l)).toEqual([0, 1, 3]);
    const t = row(0, 0, 0, 0);
    noRepeatNgram(3)(t, ctx([1, 2, 3, 1, 2]));
    expect(kept(t)).toEqual([0, 1, 2]);
  });

  it('bans tokens, and the end token until the minimum length', () => {
    const l = row(0, 0, 0);
    banTokens([1])(l, ctx());
    expect(kept(l)).toEqual([0, 2]);
    const m = row(0, 0, 0);
    minLength(2, [2])(m, ctx([5], 1));
    expect(kept(m)).toEqual([0, 1]);
    const m2 = row(0, 0, 0);
    minLength(2, [2])(m2, ctx([5, 5], 2));
    expect(kept(m2)).toEqual([0, 1, 2]);
  });

  it('samples in proportion to the probabilities', () => {
    const l = logOf(0.2, 0.8);
    const rng = createRng(1);
    let ones = 0;
    for (let i = 0; i < 5000; i++) ones += sampleToken(l, rng.next());
    expect(ones / 5000).toBeGreaterThan(0.77);
    expect(ones / 5000).toBeLessThan(0.83);
    expect(softmax(row(0, -Infinity))[1]).toBe(0);
  });
});

describe('seeded rng', () => {
  it('reproduces a sequence from a seed and from a saved state', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(createRng(43).next()).not.toBe(xs[0]);
    const s = a.getState();
    const y = a.next();
    a.setState(s);
    expect(a.next()).toBe(y);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

/** A toy model over 4 tokens whose next-token distribution depends on the last token; counts calls. */
function toyModel(): SamplingModel<number> & { fed: number[][][] } {
  const fed: number[][][] = [];
  return {
    vocabSize: 4,
    fed,
    async step(tokens, state) {
      fed.push(tokens);
      const logits = new Float32Array(tokens.length * 4);
      tokens.forEach((seq, r) => {
        const last = seq[seq.length - 1]!;
        for (let v = 0; v < 4; v++) logits[r * 4 + v] = v === (last + 1) % 4 ? 2 : 0;
      });
      return { logits, state: (state ?? 0) + 1 };
    },
  };
}

async function collect(it: AsyncIterable<GeneratedToken>): Promise<GeneratedToken[]> {
  const out: GeneratedToken[] = [];
  for await (const t of it) out.push(t);
  return out;
}

describe('generate', () => {
  it('greedy follows the argmax, feeding one token per step', async () => {
    const m = toyModel();
    const out = await collect(generate(m, [0, 1], { temperature: 0, maxNewTokens: 4 }));
    expect(out.map((t) => t.token)).toEqual([2, 3, 0, 1]);
    expect(out[3]!.done).toBe('length');
    expect(m.fed[0]).toEqual([[0, 1]]);
    expect(m.fed.slice(1).every((f) => f.length === 1 && f[0]!.length === 1)).toBe(true);
  });

  it('a seed reproduces a sample; N samples run as one batch', async () => {
    const opts = { seed: 7, maxNewTokens: 30, samples: 3 };
    const a = await collect(generate(toyModel(), [0], opts));
    const b = await collect(generate(toyModel(), [0], opts));
    expect(a).toEqual(b);
    const c = await collect(generate(toyModel(), [0], { ...opts, seed: 8 }));
    expect(c.map((t) => t.token)).not.toEqual(a.map((t) => t.token));
    const m = toyModel();
    await collect(generate(m, [0], opts));
    expect(m.fed.every((f) => f.length === 3)).toBe(true);
    expect(new Set(a.map((t) => t.sample))).toEqual(new Set([0, 1, 2]));
  });

  it('stops at an end token or a stop string', async () => {
    const eos = await collect(generate(toyModel(), [0], { temperature: 0, eosIds: [3] }));
    expect(eos.map((t) => t.token)).toEqual([1, 2, 3]);
    expect(eos[2]!.done).toBe('eos');
    const letters = 'abcd';
    const stop = await collect(
      generate(toyModel(), [0], { temperature: 0, stopStrings: ['da'], decode: (t) => letters[t]! }),
    );
    expect(stop.map((t) => letters[t.token]).join('')).toBe('bcda');
    expect(stop.at(-1)!.done).toBe('stop');
    const minLen = await collect(
      generate(toyModel(), [2], { temperature: 0, eosIds: [3], minNewTokens: 1, maxNewTokens: 3 }),
    );
    expect(minLen[0]!.token).not.toBe(3);
  });

  it('an unset option samples as SAMPLING_DEFAULTS documents it (200 tokens, temperature 1, no filters)', async () => {
    const unset = await collect(generate(toyModel(), [0], { seed: 3 }));
    const spelled = await collect(generate(toyModel(), [0], { ...SAMPLING_DEFAULTS, seed: 3 }));
    expect(unset).toEqual(spelled);
    expect(unset).toHaveLength(200);
    expect(unset.at(-1)!.done).toBe('length');
    // The caller's settings win over the defaults; the defaults themselves are not changed by a call.
    const s = samplingSettings({ temperature: 0, maxNewTokens: 4, eosIds: [3] });
    expect(s).toMatchObject({ temperature: 0, maxNewTokens: 4, eosIds: [3], topP: 1, samples: 1 });
    expect(Number.isInteger(s.seed)).toBe(true);
    s.bannedTokens.push(1);
    expect(SAMPLING_DEFAULTS.bannedTokens).toEqual([]);
  });

  it('frees the model state when the consumer stops early', async () => {
    const freed: number[] = [];
    const m = { ...toyModel(), disposeState: (s: number) => freed.push(s) };
    for await (const t of generate(m, [0], { temperature: 0, maxNewTokens: 100 })) if (t.index === 2) break;
    expect(freed).toEqual([3]);
  });
});
