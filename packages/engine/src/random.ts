// Parley's seeded random numbers, in one module: the same seed gives the same numbers on every machine and
// backend. There are two generators because two kinds of output already depend on each, and replacing either
// would change results people have: seededRandom (mulberry32, a 32-bit state) draws every data split, shuffle
// and batch order (the held-out dev/test sets of the bundled models, the char-LM's episode split, classifier
// folds, skip-gram sampling, the linear SVM's coordinate order); createRng (splitmix32-seeded xoshiro128**, a
// 128-bit state that can be saved and restored) drives sampling in @parley/decode (`--seed` of generate/chat).
// New code takes createRng when it needs a state it can save, else seededRandom. The numpy-exact generators
// (metrics/src/pcg64.ts for sacreBLEU's bootstrap, core/src/classifier/numpy-split.ts for scikit-learn's splits)
// stay beside the code they reproduce: they must match numpy's streams, not Parley's.

// ---- mulberry32: splits, shuffles, batch orders ----

/** A deterministic generator of floats in [0, 1) from a 32-bit seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns a shuffled copy of `items` (Fisher–Yates); the same seed always gives the same order. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const rand = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// ---- xoshiro128** (splitmix32 seeding): sampling, with a savable state ----

/** A seeded source of uniform numbers in [0, 1). */
export interface Rng {
  /** The next uniform number in [0, 1). */
  next(): number;
  /** The generator's state, for saving (e.g. in a training checkpoint). */
  getState(): number[];
  /** Restores a state returned by getState. */
  setState(state: number[]): void;
}

function splitmix32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x9e3779b9) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator seeded with `seed` (any finite number; non-integers are truncated). */
export function createRng(seed: number): Rng {
  const init = splitmix32(Math.trunc(seed) | 0);
  let s = [init(), init(), init(), init()];
  if (s.every((x) => x === 0)) s = [1, 0, 0, 0];
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  return {
    next() {
      const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
      const t = (s[1]! << 9) >>> 0;
      s[2] = (s[2]! ^ s[0]!) >>> 0;
      s[3] = (s[3]! ^ s[1]!) >>> 0;
      s[1] = (s[1]! ^ s[2]) >>> 0;
      s[0] = (s[0]! ^ s[3]) >>> 0;
      s[2] = (s[2] ^ t) >>> 0;
      s[3] = rotl(s[3], 11);
      return result / 4294967296;
    },
    getState: () => s.slice(),
    setState(state) {
      if (state.length !== 4) throw new Error('rng state must be 4 numbers');
      s = state.map((x) => x >>> 0);
    },
  };
}

/** A fresh seed from the clock and Math.random, for runs where the user gave none. */
export function randomSeed(): number {
  return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) >>> 0;
}
