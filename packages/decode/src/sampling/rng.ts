// A small seeded random number generator (splitmix32 seeding + xoshiro128**), so that the same seed
// reproduces the same sample on every machine and backend. Its state can be saved and restored.

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
