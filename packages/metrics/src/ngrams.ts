// N-gram tables for matching: the reference side's n-grams of orders 1..maxOrder with their counts
// (the maximum over several references, as BLEU clips), and a matcher that counts, order by order,
// how many of a hypothesis' n-grams are matched — sum over n-grams of min(hyp count, ref count).
// N-grams are keyed by numbers (token ids in base |vocab|+1) when that fits in 2^53, else by strings.

export class NgramTable {
  private readonly vocab = new Map<string, number>();
  private readonly slots = new Map<number | string, number>();
  /** Clipping count of each n-gram slot. */
  private readonly counts: number[] = [];
  private readonly base: number;
  private readonly numeric: boolean;

  /**
   * @param sequences token sequences (one per reference); counts are the maximum over them
   * @param maxOrder the largest n-gram order
   */
  constructor(
    sequences: ReadonlyArray<ReadonlyArray<string>>,
    readonly maxOrder: number,
  ) {
    for (const seq of sequences) for (const t of seq) if (!this.vocab.has(t)) this.vocab.set(t, this.vocab.size + 1);
    this.base = this.vocab.size + 1;
    this.numeric = Math.pow(this.base, maxOrder) < Number.MAX_SAFE_INTEGER;
    for (const seq of sequences) {
      const local = sequences.length > 1 ? new Map<number, number>() : undefined;
      const ids = this.ids(seq);
      for (let i = 0; i < ids.length; i++) {
        let key: number | string = 0;
        const top = Math.min(maxOrder, ids.length - i);
        for (let n = 1; n <= top; n++) {
          key = this.extend(key, ids[i + n - 1]!, n);
          let slot = this.slots.get(key);
          if (slot === undefined) {
            slot = this.counts.length;
            this.slots.set(key, slot);
            this.counts.push(0);
          }
          if (local) local.set(slot, (local.get(slot) ?? 0) + 1);
          else this.counts[slot]!++;
        }
      }
      if (local) for (const [slot, c] of local) if (c > this.counts[slot]!) this.counts[slot] = c;
    }
  }

  private ids(tokens: ReadonlyArray<string>): Int32Array {
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) ids[i] = this.vocab.get(tokens[i]!) ?? 0;
    return ids;
  }

  private extend(key: number | string, id: number, n: number): number | string {
    if (this.numeric) return (key as number) * this.base + id;
    return n === 1 ? String(id) : `${key as string},${id}`;
  }

  /** Adds to `out[n-1]` the clipped matches of `tokens`' n-grams of order n, for n = 1..maxOrder. */
  countMatches(tokens: ReadonlyArray<string>, out: number[]): void {
    const ids = this.ids(tokens);
    const used = new Int32Array(this.counts.length);
    for (let i = 0; i < ids.length; i++) {
      let key: number | string = 0;
      const top = Math.min(this.maxOrder, ids.length - i);
      for (let n = 1; n <= top; n++) {
        const id = ids[i + n - 1]!;
        if (id === 0) break;
        key = this.extend(key, id, n);
        const slot = this.slots.get(key);
        // A missing n-gram means every longer one starting here is missing too.
        if (slot === undefined) break;
        if (used[slot]! < this.counts[slot]!) {
          used[slot]!++;
          out[n - 1]!++;
        }
      }
    }
  }
}
