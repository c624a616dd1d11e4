// Cleaning a parallel corpus before training: the rules that subtitle and web-mined pairs need.
//
// Why these rules: duplicated pairs over-weight a few lines; very long or badly length-mismatched pairs are
// usually misaligned; a "translation" identical to its source, or copying most of its words, teaches the model to
// copy. Subtitles add a subtler noise: cue-aligned lines that are free or condensed translations, or plain
// misalignments, with normal lengths. For those, each pair is scored with IBM Model 1 lexical translation
// probabilities (Brown et al. 1993) trained by EM on the corpus itself, in both directions, and the worst-scoring
// share is dropped — the classic, cheap idea behind Zipporah-style filters: a pair whose words rarely translate
// each other anywhere else in the corpus is probably not a translation.
//
// Rules run in a fixed order (identical → untranslated → length → ratio → duplicate → noisy); each pair is counted
// under the first rule that removes it. Nothing here reads or writes files: `parley corpus filter` does that.

/** Which rule removed a pair. */
export type PairFilterRule = 'identical' | 'untranslated' | 'length' | 'ratio' | 'duplicate' | 'noisy';

/** Options of `filterPairs`; every rule can be turned off. */
export interface PairFilterOptions {
  /** Drop pairs whose sides are identical after lower-casing and removing punctuation and spaces. Default true. */
  dropIdentical?: boolean;
  /**
   * Drop pairs where at least this share of the source's words (of 3 letters or more) appear verbatim in the
   * target: untranslated or copied lines. Sentences with fewer than 3 such words are never dropped by this rule.
   * 0 = off. Default 0.8.
   */
  untranslatedShare?: number;
  /** Fewest words on either side. Default 1. */
  minWords?: number;
  /** Most words on either side (0 = no limit). Default 100. */
  maxWords?: number;
  /** Largest ratio between the longer and the shorter side, in characters, for pairs of 10+ characters (0 = off). Default 3. */
  maxRatio?: number;
  /**
   * 'exact': drop repeats of the same (source, target); 'near': also those equal after lower-casing and removing
   * punctuation, digits stay; 'source': keep one pair per normalised source sentence; 'none'. Default 'near'.
   */
  dedupe?: 'exact' | 'near' | 'source' | 'none';
  /** Share (0–1) of the remaining pairs with the worst IBM Model 1 scores to drop. 0 = off. Default 0. */
  noisyShare?: number;
  /** EM iterations of the IBM Model 1 lexicons. Default 5. */
  model1Iterations?: number;
}

/** One pair's verdict: kept, or the rule that removed it; `score` is its Model 1 score when noisy filtering ran. */
export interface PairVerdict {
  kept: boolean;
  rule?: PairFilterRule;
  score?: number;
}

/** What `filterPairs` decided: a verdict per input pair (same order) and counts per rule. */
export interface PairFilterResult {
  verdicts: PairVerdict[];
  removed: Record<PairFilterRule, number>;
  kept: number;
}

const RULES: PairFilterRule[] = ['identical', 'untranslated', 'length', 'ratio', 'duplicate', 'noisy'];

/** Lower-cased words: runs of letters, digits and apostrophes (Unicode-aware). */
export function pairWords(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}'’]+/gu) ?? []
  );
}

/** The near-duplicate key of a sentence: lower-cased letters and digits only. */
function nearKey(text: string): string {
  return pairWords(text).join(' ');
}

function copiedShare(source: string[], target: string[]): { share: number; counted: number } {
  const long = source.filter((w) => w.length >= 3 && !/^\d+$/.test(w));
  if (long.length < 3) return { share: 0, counted: long.length };
  const inTarget = new Set(target);
  return { share: long.filter((w) => inTarget.has(w)).length / long.length, counted: long.length };
}

/**
 * Decides which pairs to keep. Deterministic: the same pairs and options always give the same verdicts.
 * Pairs are `[source, target]` strings; any extra data (tags, line numbers) stays with the caller by index.
 */
export function filterPairs(
  pairs: readonly (readonly [string, string])[],
  options: PairFilterOptions = {},
): PairFilterResult {
  const o = {
    dropIdentical: options.dropIdentical ?? true,
    untranslatedShare: options.untranslatedShare ?? 0.8,
    minWords: options.minWords ?? 1,
    maxWords: options.maxWords ?? 100,
    maxRatio: options.maxRatio ?? 3,
    dedupe: options.dedupe ?? 'near',
    noisyShare: options.noisyShare ?? 0,
    model1Iterations: options.model1Iterations ?? 5,
  };
  if (!(o.noisyShare >= 0 && o.noisyShare < 1))
    throw new RangeError(`noisyShare must be in [0, 1), got ${o.noisyShare}`);
  const removed = Object.fromEntries(RULES.map((r) => [r, 0])) as Record<PairFilterRule, number>;
  const verdicts: PairVerdict[] = [];
  const words: [string[], string[]][] = [];
  const seen = new Set<string>();
  for (const [source, target] of pairs) {
    const sw = pairWords(source);
    const tw = pairWords(target);
    words.push([sw, tw]);
    const rule = firstRule(source, target, sw, tw);
    verdicts.push(rule ? { kept: false, rule } : { kept: true });
    if (rule) removed[rule]++;
  }

  function firstRule(source: string, target: string, sw: string[], tw: string[]): PairFilterRule | undefined {
    if (o.dropIdentical && sw.join(' ') === tw.join(' ')) return 'identical';
    if (o.untranslatedShare > 0) {
      const c = copiedShare(sw, tw);
      if (c.counted >= 3 && c.share >= o.untranslatedShare) return 'untranslated';
    }
    const n = [sw.length, tw.length];
    if (Math.min(...n) < o.minWords || (o.maxWords > 0 && Math.max(...n) > o.maxWords)) return 'length';
    const chars = [source.length, target.length];
    if (o.maxRatio > 0 && Math.max(...chars) >= 10 && Math.max(...chars) > o.maxRatio * Math.min(...chars))
      return 'ratio';
    if (o.dedupe !== 'none') {
      const key =
        o.dedupe === 'exact'
          ? `${source}\t${target}`
          : o.dedupe === 'near'
            ? `${nearKey(source)}\t${nearKey(target)}`
            : nearKey(source);
      if (seen.has(key)) return 'duplicate';
      seen.add(key);
    }
    return undefined;
  }

  if (o.noisyShare > 0) {
    const live = verdicts.flatMap((v, i) => (v.kept ? [i] : []));
    const forward = model1Scores(
      live.map((i) => words[i]!),
      o.model1Iterations,
    );
    const backward = model1Scores(
      live.map((i) => [words[i]![1], words[i]![0]] as [string[], string[]]),
      o.model1Iterations,
    );
    const scored = live.map((idx, k) => ({ idx, score: (forward[k]! + backward[k]!) / 2 }));
    for (const s of scored) verdicts[s.idx]!.score = s.score;
    const drop = Math.floor(scored.length * o.noisyShare);
    scored.sort((a, b) => a.score - b.score || a.idx - b.idx);
    for (const s of scored.slice(0, drop)) {
      verdicts[s.idx] = { kept: false, rule: 'noisy', score: s.score };
      removed.noisy++;
    }
  }
  return { verdicts, removed, kept: verdicts.filter((v) => v.kept).length };
}

/**
 * IBM Model 1 scores of target given source: for each pair, the mean over target words of
 * log( Σ_{s ∈ source ∪ NULL} t(w|s) / (|source| + 1) ), with t trained by `iterations` rounds of EM on these
 * very pairs. Higher is better; a pair of empty sides scores 0.
 */
export function model1Scores(pairs: readonly (readonly [string[], string[]])[], iterations = 5): number[] {
  const vocab = (side: 0 | 1) => {
    const ids = new Map<string, number>();
    const encoded = pairs.map((pair) =>
      pair[side].map((w) => {
        let v = ids.get(w);
        if (v === undefined) ids.set(w, (v = ids.size + 1)); // 0 is the NULL source word
        return v;
      }),
    );
    return { encoded, size: ids.size + 1 };
  };
  const source = vocab(0);
  const target = vocab(1);
  // Every (source word, target word) co-occurrence gets one slot in `prob`; each pair keeps its slots, target-major.
  // Keys stay small integers (source id × target vocabulary + target id), which V8's Map hashes fastest.
  const slotOf = new Map<number, number>();
  const slotSource: number[] = [];
  const pairSlots: Int32Array[] = [];
  const shapes: [number, number][] = [];
  pairs.forEach((_, p) => {
    const s = [0, ...source.encoded[p]!];
    const t = target.encoded[p]!;
    const slots = new Int32Array(s.length * t.length);
    t.forEach((tw, j) => {
      s.forEach((sw, i) => {
        const key = sw * target.size + tw;
        let slot = slotOf.get(key);
        if (slot === undefined) {
          slot = slotSource.length;
          slotOf.set(key, slot);
          slotSource.push(sw);
        }
        slots[j * s.length + i] = slot;
      });
    });
    pairSlots.push(slots);
    shapes.push([s.length, t.length]);
  });
  const prob = new Float64Array(slotSource.length).fill(1);
  const count = new Float64Array(slotSource.length);
  const total = new Float64Array(source.size);
  for (let it = 0; it < iterations; it++) {
    count.fill(0);
    total.fill(0);
    pairSlots.forEach((slots, p) => {
      const [ns, nt] = shapes[p]!;
      for (let j = 0; j < nt; j++) {
        let den = 0;
        for (let i = 0; i < ns; i++) den += prob[slots[j * ns + i]!]!;
        for (let i = 0; i < ns; i++) {
          const slot = slots[j * ns + i]!;
          count[slot]! += prob[slot]! / den;
        }
      }
    });
    for (let k = 0; k < count.length; k++) total[slotSource[k]!]! += count[k]!;
    for (let k = 0; k < count.length; k++) prob[k] = count[k]! / total[slotSource[k]!]!;
  }
  return pairSlots.map((slots, p) => {
    const [ns, nt] = shapes[p]!;
    if (nt === 0) return 0;
    let sum = 0;
    for (let j = 0; j < nt; j++) {
      let inner = 0;
      for (let i = 0; i < ns; i++) inner += prob[slots[j * ns + i]!]!;
      sum += Math.log(inner / ns);
    }
    return sum / nt;
  });
}
