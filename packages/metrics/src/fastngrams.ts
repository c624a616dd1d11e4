// The fast path of n-gram matching. Tokens get corpus-wide integer ids (Interner), then dense
// per-segment ids (LocalIds), so that an n-gram of order ≤ N is one exact number in base
// (distinct tokens + 1). Reference n-grams are counted in an open-addressing table reused for
// every segment; the hypothesis consumes those counts, which yields sum(min(hyp, ref)) per order.
// When base^N would exceed 2^53 the callers fall back to NgramTable.

/** Corpus-wide ids for strings, from 1. */
export class Interner {
  private readonly map = new Map<string, number>();

  get size(): number {
    return this.map.size;
  }

  /** Ids of `tokens`, written into `into` when given (and long enough). */
  ids(tokens: ReadonlyArray<string>, into?: Int32Array): Int32Array {
    const out = into && into.length >= tokens.length ? into.subarray(0, tokens.length) : new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      let id = this.map.get(t);
      if (id === undefined) this.map.set(t, (id = this.map.size + 1));
      out[i] = id;
    }
    return out;
  }
}

/** Dense ids (from 1) for the global ids met in one segment. */
export class LocalIds {
  private stamp = new Int32Array(1024);
  private local = new Int32Array(1024);
  private gen = 0;
  /** Distinct ids mapped since `begin`. */
  size = 0;

  begin(): void {
    this.gen++;
    this.size = 0;
  }

  /** Dense ids of `ids`, written into `into` when given (and long enough). */
  map(ids: Int32Array, into?: Int32Array): Int32Array {
    const out = into && into.length >= ids.length ? into.subarray(0, ids.length) : new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const g = ids[i]!;
      if (g >= this.stamp.length) this.grow(g + 1);
      if (this.stamp[g] !== this.gen) {
        this.stamp[g] = this.gen;
        this.local[g] = ++this.size;
      }
      out[i] = this.local[g]!;
    }
    return out;
  }

  private grow(min: number): void {
    let n = this.stamp.length;
    while (n < min) n *= 2;
    const s = new Int32Array(n);
    s.set(this.stamp);
    const l = new Int32Array(n);
    l.set(this.local);
    this.stamp = s;
    this.local = l;
  }
}

function hash(key: number): number {
  if (key <= 0x7fffffff) {
    const h = Math.imul(key, 0x9e3779b1);
    return h ^ (h >>> 15);
  }
  const lo = (key % 4294967296) | 0;
  const hi = (key / 4294967296) | 0;
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  return h;
}

/** Open-addressing counts of numeric keys, cleared in O(1) by a generation stamp. */
export class CountTable {
  private keys = new Float64Array(256);
  private counts = new Int32Array(256);
  private stamp = new Int32Array(256);
  private gen = 0;
  private mask = 255;
  /** Keys inserted since `reset`, in insertion order. */
  readonly inserted: number[] = [];

  /** Empties the table, with room for at least `n` keys. */
  reset(n: number): void {
    if (2 * n > this.keys.length) {
      let cap = this.keys.length;
      while (cap < 2 * n) cap *= 2;
      this.keys = new Float64Array(cap);
      this.counts = new Int32Array(cap);
      this.stamp = new Int32Array(cap);
      this.mask = cap - 1;
      this.gen = 0;
    }
    this.gen++;
    this.inserted.length = 0;
  }

  private slot(key: number): number {
    let i = hash(key) & this.mask;
    while (this.stamp[i] === this.gen && this.keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  add(key: number, count = 1): void {
    const i = this.slot(key);
    if (this.stamp[i] !== this.gen) {
      this.stamp[i] = this.gen;
      this.keys[i] = key;
      this.counts[i] = 0;
      this.inserted.push(key);
    }
    this.counts[i]! += count;
  }

  /** Raises the count of `key` to at least `count`. */
  max(key: number, count: number): void {
    const i = this.slot(key);
    if (this.stamp[i] !== this.gen) {
      this.stamp[i] = this.gen;
      this.keys[i] = key;
      this.counts[i] = count;
      this.inserted.push(key);
    } else if (count > this.counts[i]!) this.counts[i] = count;
  }

  get(key: number): number {
    const i = this.slot(key);
    return this.stamp[i] === this.gen ? this.counts[i]! : 0;
  }

  /** Takes one occurrence of `key`: 1 if taken, 0 if used up, -1 if absent. */
  take(key: number): number {
    const i = this.slot(key);
    if (this.stamp[i] !== this.gen) return -1;
    if (this.counts[i]! <= 0) return 0;
    this.counts[i]!--;
    return 1;
  }
}

/** Whether n-grams of order ≤ maxOrder over `distinct` tokens have exact numeric keys. */
export function keysFit(distinct: number, maxOrder: number): boolean {
  return Math.pow(distinct + 1, maxOrder) < Number.MAX_SAFE_INTEGER;
}

/** Adds every n-gram (order 1..maxOrder) of `seq` to `table`. */
export function addNgrams(table: CountTable, seq: Int32Array, maxOrder: number, base: number): void {
  for (let i = 0; i < seq.length; i++) {
    let key = 0;
    const top = Math.min(maxOrder, seq.length - i);
    for (let n = 1; n <= top; n++) {
      key = key * base + seq[i + n - 1]!;
      table.add(key);
    }
  }
}

/** Adds to out[n-1] the hypothesis n-grams that take a count from `table` (clipped matches). */
export function takeNgrams(table: CountTable, seq: Int32Array, maxOrder: number, base: number, out: number[]): void {
  for (let i = 0; i < seq.length; i++) {
    let key = 0;
    const top = Math.min(maxOrder, seq.length - i);
    for (let n = 1; n <= top; n++) {
      key = key * base + seq[i + n - 1]!;
      const r = table.take(key);
      if (r < 0) break; // absent: no longer n-gram starting here can be present
      out[n - 1]! += r;
    }
  }
}
