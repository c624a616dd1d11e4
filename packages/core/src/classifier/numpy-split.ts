// NumPy's legacy RandomState(seed).permutation (MT19937, init_genrand seeding, Fisher–Yates with masked rejection
// sampling), so a split made in Python with `df.sample(frac=1, random_state=s)` followed by scikit-learn's
// `train_test_split(..., test_size=f, random_state=s)` can be reproduced example for example. The course this project
// grew from scores its disaster-tweets baseline on exactly that split.

/** MT19937 as NumPy's legacy RandomState seeds it from an integer. */
class Mt19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  nextUint32(): number {
    if (this.index >= 624) {
      for (let i = 0; i < 624; i++) {
        const y = (this.mt[i]! & 0x80000000) | (this.mt[(i + 1) % 624]! & 0x7fffffff);
        this.mt[i] = this.mt[(i + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max] (NumPy's random_interval, max < 2³²). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    while ((v = (this.nextUint32() & mask) >>> 0) > max);
    return v;
  }
}

/** `np.random.RandomState(seed).permutation(n)`. */
export function numpyPermutation(n: number, seed: number): number[] {
  const rng = new Mt19937(seed);
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.interval(i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * The original indices of the train and validation parts of `df.sample(frac=1, random_state=seed)` split by
 * `train_test_split(test_size=fraction, random_state=seed)` (n_test = ceil(fraction · n), validation first in the permutation).
 */
export function sklearnCourseSplit(n: number, fraction: number, seed: number): { train: number[]; dev: number[] } {
  const shuffledRows = numpyPermutation(n, seed);
  const perm = numpyPermutation(n, seed);
  const nTest = Math.ceil(fraction * n);
  return {
    dev: perm.slice(0, nTest).map((i) => shuffledRows[i]!),
    train: perm.slice(nTest).map((i) => shuffledRows[i]!),
  };
}
