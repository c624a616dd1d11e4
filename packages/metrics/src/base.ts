// The shared machinery of every metric, after sacreBLEU's `metrics/base.py`: a Score that formats
// itself like sacreBLEU, the reproducibility Signature, and the Metric base class that caches
// references, extracts per-segment sufficient statistics and aggregates them into a corpus score.
import { exactMean } from './stats';
import { bootstrapResample } from './significance';
import { pyFixed, pyJsonDumps, pyRound, type PyJson } from './python';

/** The version sacreBLEU reports in signatures; Parley reproduces sacreBLEU 2.6.0. */
export const SACREBLEU_VERSION = '2.6.0';

/** Options of `Score.format`. */
export interface FormatOptions {
  /** Decimal places of the score (default 2, like sacreBLEU's API; its CLI uses 1). */
  width?: number;
  /** Only the number (with the confidence part when present). */
  scoreOnly?: boolean;
  /** The signature string to print after the name. */
  signature?: string;
  /** Format as sacreBLEU's CLI JSON object. */
  isJson?: boolean;
}

/** A metric's score; subclasses add their statistics. */
export class Score {
  /** Bootstrap mean (set by `estimateCi`; -1 when not estimated). */
  mean = -1;
  /** Half-width of the 95% bootstrap confidence interval (-1 when not estimated). */
  ci = -1;
  /** Text printed after the score (BLEU's precisions and brevity penalty). */
  protected verbose = '';

  constructor(
    readonly name: string,
    readonly score: number,
  ) {}

  /** sacreBLEU's `Score.format`: `NAME|signature = 12.34 verbose`, the score alone, or the CLI's JSON object. */
  format(options: FormatOptions = {}): string {
    const width = options.width ?? 2;
    const signature = options.signature ?? '';
    const d: { [key: string]: PyJson } = { name: this.name, score: pyRound(this.score, width), signature };
    let sc = pyFixed(this.score, width);
    if (this.mean > 0) {
      const mean = pyFixed(this.mean, width);
      const ci = pyFixed(this.ci, width);
      const confidence = `μ = ${mean} ± ${ci}`;
      sc += ` (${confidence})`;
      d.confidence_mean = Number(mean);
      d.confidence_var = Number(ci);
      d.confidence = confidence;
    }
    let full = `${signature ? `${this.name}|${signature}` : this.name} = ${sc}`;
    if (this.verbose) {
      full += ` ${this.verbose}`;
      d.verbose_score = this.verbose;
    }
    if (options.scoreOnly) return sc;
    if (options.isJson) {
      for (const param of signature.split('|')) {
        const [key, value] = param.split(':');
        d[key!] = value ?? '';
      }
      return pyJsonDumps(d, 1);
    }
    return full;
  }

  /** Stores the mean and the 95% interval half-width of bootstrap scores (sacreBLEU's `Score.estimate_ci`). */
  estimateCi(scores: number[]): void {
    const sorted = Float64Array.from(scores).sort();
    const n = sorted.length;
    const lowerIdx = Math.floor(n / 40);
    const upperIdx = n - lowerIdx - 1;
    this.ci = 0.5 * (sorted[upperIdx]! - sorted[lowerIdx]!);
    this.mean = exactMean(scores);
  }

  toString(): string {
    return this.format();
  }
}

type SignatureValue = string | number | boolean | null;

/** A reproducibility signature: `nrefs:1|case:mixed|...|version:2.6.0`, or its short form. */
export class Signature {
  private readonly info = new Map<string, SignatureValue>();
  private readonly abbr: Record<string, string> = {
    version: 'v',
    nrefs: '#',
    test: 't',
    lang: 'l',
    subset: 'S',
    origlang: 'o',
    bs: 'bs',
    ar: 'ar',
    seed: 'rs',
  };

  constructor(numRefs: number, nBootstrap: number | null, seed: string | null) {
    this.info.set('version', SACREBLEU_VERSION);
    this.info.set('nrefs', numRefs === -1 ? 'var' : numRefs);
    this.info.set('bs', nBootstrap);
    this.info.set('ar', null);
    this.info.set('seed', seed);
    for (const k of ['test', 'lang', 'origlang', 'subset']) this.info.set(k, null);
  }

  /** Adds or replaces an entry (`short` is its abbreviation in the short form). */
  update(key: string, value: SignatureValue, short?: string): void {
    this.info.set(key, value);
    if (short !== undefined) this.abbr[key] = short;
  }

  /** The signature string; `short` uses the abbreviations (`#:1|c:mixed|...`). */
  format(short = false): string {
    const pairs: string[] = [];
    const keys = [...this.info.keys()].filter((k) => k !== 'version').concat('version');
    for (const key of keys) {
      let value = this.info.get(key);
      if (value === null || value === undefined) continue;
      if (typeof value === 'boolean') value = value ? 'yes' : 'no';
      pairs.push(`${short ? (this.abbr[key] ?? key) : key}:${value}`);
    }
    return pairs.join('|');
  }

  toString(): string {
    return this.format();
  }
}

/** Reference streams as sacreBLEU takes them: `refs[k][i]` is the k-th reference of segment i (null = missing). */
export type RefStreams = ReadonlyArray<ReadonlyArray<string | null | undefined>>;

/** Sums per-segment statistics element-wise, in order (sacreBLEU's `sum_of_lists`). */
export function sumOfLists(lists: ReadonlyArray<ReadonlyArray<number>>): number[] {
  if (lists.length === 1) return [...lists[0]!];
  const size = lists[0]?.length ?? 0;
  const total = new Array<number>(size).fill(0);
  for (const l of lists) for (let i = 0; i < size; i++) total[i]! += l[i]!;
  return total;
}

/**
 * A metric: per-segment sufficient statistics, summed over the corpus, turned into a score.
 * `R` is what the metric keeps of a segment's references.
 */
export abstract class Metric<S extends Score = Score, R = unknown> {
  /** Number of references per segment, -1 when it varies (known after scoring). */
  numRefs: number | undefined;
  /** Bootstrap resamples used for the confidence interval of the last corpus score (signature `bs`). */
  nBootstrap: number | null = null;
  /** Seed of the bootstrap (signature `seed`). */
  seed: string | null = null;
  /** Receives sacreBLEU's warnings (e.g. tokenized-looking input); silent by default. */
  onWarning: ((message: string) => void) | undefined;
  /** Warn when 100+ hypotheses end in ' .' (BLEU without `force`). */
  protected warnOnTokenizedPeriod = false;
  private refCache: R[] | undefined;

  /** Lowercasing / tokenization applied to hypotheses and references. */
  abstract preprocessSegment(sent: string): string;
  /** What is kept of a segment's (preprocessed) references. */
  protected abstract extractReferenceInfo(refs: string[]): R;
  /** A segment's sufficient statistics against its references. */
  protected abstract computeSegmentStatistics(hyp: string, refInfo: R): number[];
  /**
   * The score of summed statistics. `float32` reproduces sacreBLEU's bootstrap, which sums
   * statistics as numpy float32 (and divides them in float32 for chrF and TER).
   */
  abstract computeScoreFromStats(stats: ArrayLike<number>, float32?: boolean): S;
  /** The reproducibility signature. */
  abstract getSignature(): Signature;

  aggregateAndCompute(stats: ReadonlyArray<ReadonlyArray<number>>): S {
    return this.computeScoreFromStats(sumOfLists(stats));
  }

  /** Caches the references so that several systems can be scored without passing them again. */
  setReferences(references: RefStreams): void {
    this.refCache = this.cacheReferences(references);
  }

  protected cacheReferences(references: RefStreams): R[] {
    const cache: R[] = [];
    const counts = new Set<number>();
    const nSeg = references[0]?.length ?? 0;
    for (let i = 0; i < nSeg; i++) {
      const lines: string[] = [];
      for (const stream of references) {
        const x = stream[i];
        if (x !== null && x !== undefined) lines.push(x);
      }
      if (lines.length === 0) throw new Error(`${this.constructor.name}: no reference for segment ${i + 1}.`);
      counts.add(lines.length);
      cache.push(this.extractReferenceInfo(lines.map((x) => this.preprocessSegment(x))));
    }
    this.numRefs = counts.size === 1 ? [...counts][0]! : counts.size === 0 ? references.length : -1;
    return cache;
  }

  /** Per-segment sufficient statistics of a system (references passed, or cached by `setReferences`). */
  extractCorpusStatistics(hyps: ReadonlyArray<string>, references?: RefStreams | null): number[][] {
    let cache: R[];
    if (references && references.length > 0) cache = this.cacheReferences(references);
    else if (this.refCache) cache = this.refCache;
    else throw new Error(`${this.constructor.name}: no references given and none cached.`);
    for (const stream of references ?? []) {
      if (stream.length !== hyps.length) {
        throw new Error(
          `${this.constructor.name}: ${hyps.length} hypotheses but a reference stream has ${stream.length} segments.`,
        );
      }
    }
    const stats: number[][] = [];
    const n = Math.min(hyps.length, cache.length);
    let tokenized = 0;
    for (let i = 0; i < n; i++) {
      if (this.warnOnTokenizedPeriod && hyps[i]!.endsWith(' .')) tokenized++;
      stats.push(this.computeSegmentStatistics(this.preprocessSegment(hyps[i]!), cache[i]!));
    }
    if (tokenized >= 100 && this.onWarning) {
      this.onWarning("That's 100 lines that end in a tokenized period ('.')");
      this.onWarning('It looks like you forgot to detokenize your test data, which may hurt your score.');
      this.onWarning(
        "If you insist your data is detokenized, or don't care, you can suppress this message with the `force` parameter.",
      );
    }
    return stats;
  }

  /** The metric on one sentence against its references (one string per reference). */
  sentenceScore(hyp: string, refs: ReadonlyArray<string>): S {
    return this.aggregateAndCompute(
      this.extractCorpusStatistics(
        [hyp],
        refs.map((r) => [r]),
      ),
    );
  }

  /**
   * The metric on a corpus: `refs` is a list of reference streams, each parallel to `hyps`.
   * `nBootstrap` > 1 adds the bootstrap mean and 95% confidence interval (seed SACREBLEU_SEED, default 12345).
   */
  corpusScore(hyps: ReadonlyArray<string>, refs: RefStreams | null, nBootstrap = 1): S {
    if (hyps.length === 0) throw new Error(`${this.constructor.name}: no hypotheses to score.`);
    const stats = this.extractCorpusStatistics(hyps, refs);
    const score = this.aggregateAndCompute(stats);
    if (nBootstrap > 1) {
      const { seed, scores } = bootstrapResample(stats, this, nBootstrap);
      this.nBootstrap = nBootstrap;
      this.seed = seed;
      score.estimateCi(scores);
    }
    return score;
  }
}
