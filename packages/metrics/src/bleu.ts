// BLEU (Papineni et al., 2002) exactly as sacreBLEU 2.6.0 computes it: clipped n-gram matches
// against the maximum count over references, the closest reference length, four smoothing methods.
import { Metric, Score, Signature } from './base';
import { exp, log } from './libm';
import { CountTable, Interner, LocalIds, addNgrams, keysFit, takeNgrams } from './fastngrams';
import { NgramTable } from './ngrams';
import { pyFixed, pyLower, pyRstrip, pySplit } from './python';
import { getTokenizer, type Tokenizer, type TokenizerName } from './tokenizers';

export type SmoothMethod = 'none' | 'floor' | 'add-k' | 'exp';

/** Smoothing values used when none is given: `floor` 0.1, `add-k` 1 (Chen & Cherry, 2014). */
export const SMOOTH_DEFAULTS: Record<SmoothMethod, number | null> = { none: null, floor: 0.1, 'add-k': 1, exp: null };

export interface BLEUOptions {
  /** Lowercase hypotheses and references (default false). */
  lowercase?: boolean;
  /** Do not warn about input that looks tokenized (default false; signature unaffected). */
  force?: boolean;
  /** Tokenizer: `13a` (default), `intl`, `char`, `none`, `zh`. */
  tokenize?: TokenizerName;
  /** Smoothing: `exp` (default), `floor`, `add-k`, `none`. */
  smoothMethod?: SmoothMethod;
  /** Value for `floor` / `add-k`; null or absent = the method's default. */
  smoothValue?: number | null;
  /** Largest n-gram order (default 4). */
  maxNgramOrder?: number;
  /** Stop at the highest order with any n-gram (use for sentence-level BLEU; default false). */
  effectiveOrder?: boolean;
}

/** A BLEU score with its statistics (sacreBLEU's fields in camelCase). */
export class BLEUScore extends Score {
  /** Precisions printed with one decimal, joined by `/`. */
  readonly precStr: string;
  /** sysLen / refLen (0 when refLen is 0). */
  readonly ratio: number;

  constructor(
    score: number,
    /** Clipped n-gram matches per order (with add-k's k added for orders > 1). */
    readonly counts: number[],
    /** Hypothesis n-grams per order. */
    readonly totals: number[],
    /** Precisions in percent per order. */
    readonly precisions: number[],
    /** Brevity penalty. */
    readonly bp: number,
    /** Hypothesis length in tokens. */
    readonly sysLen: number,
    /** Effective reference length in tokens. */
    readonly refLen: number,
  ) {
    super('BLEU', score);
    this.precStr = precisions.map((p) => pyFixed(p, 1)).join('/');
    this.ratio = refLen ? sysLen / refLen : 0;
    this.verbose =
      `${this.precStr} (BP = ${pyFixed(bp, 3)} ratio = ${pyFixed(this.ratio, 3)} ` +
      `hyp_len = ${sysLen} ref_len = ${refLen})`;
  }
}

interface BLEURefInfo {
  tokens: string[][];
  ids: Int32Array[];
  lens: number[];
}

/** Python's math.log with sacreBLEU's floor for zero. */
function myLog(x: number): number {
  return x === 0 ? -9999999999 : log(x);
}

export class BLEU extends Metric<BLEUScore, BLEURefInfo> {
  readonly lowercase: boolean;
  readonly force: boolean;
  readonly tokenizeName: TokenizerName;
  readonly smoothMethod: SmoothMethod;
  readonly smoothValue: number | null;
  readonly maxNgramOrder: number;
  readonly effectiveOrder: boolean;
  private readonly tokenizer: Tokenizer;
  private readonly interner = new Interner();
  private readonly local = new LocalIds();
  private readonly table = new CountTable();
  private readonly perRef = new CountTable();
  private scratch: Int32Array[] = [new Int32Array(256), new Int32Array(256)];
  private hypIds = new Int32Array(256);
  /** 13a, intl and zh output tokens joined by single spaces: a plain split suffices. */
  private readonly split: (s: string) => string[];

  constructor(options: BLEUOptions = {}) {
    super();
    this.lowercase = options.lowercase ?? false;
    this.force = options.force ?? false;
    this.tokenizeName = options.tokenize ?? '13a';
    this.smoothMethod = options.smoothMethod ?? 'exp';
    if (!(this.smoothMethod in SMOOTH_DEFAULTS)) throw new Error(`BLEU: unknown smooth method '${this.smoothMethod}'`);
    this.smoothValue = options.smoothValue ?? null;
    this.maxNgramOrder = options.maxNgramOrder ?? 4;
    this.effectiveOrder = options.effectiveOrder ?? false;
    this.tokenizer = getTokenizer(this.tokenizeName);
    this.warnOnTokenizedPeriod = !this.force;
    const normalized = this.tokenizeName === '13a' || this.tokenizeName === 'intl' || this.tokenizeName === 'zh';
    this.split = normalized ? (s) => (s === '' ? [] : s.split(' ')) : pySplit;
  }

  override sentenceScore(hyp: string, refs: ReadonlyArray<string>): BLEUScore {
    if (!this.effectiveOrder)
      this.onWarning?.('It is recommended to enable `effective_order` for sentence-level BLEU.');
    return super.sentenceScore(hyp, refs);
  }

  /** BLEU from sufficient statistics (sacreBLEU's `BLEU.compute_bleu`). */
  static computeBleu(
    correct: number[],
    total: number[],
    sysLen: number,
    refLen: number,
    smoothMethod: SmoothMethod = 'none',
    smoothValue: number | null = null,
    effectiveOrder = false,
    maxNgramOrder = 4,
  ): BLEUScore {
    const value = smoothValue ?? SMOOTH_DEFAULTS[smoothMethod] ?? 0;
    let bp = 1.0;
    if (sysLen < refLen) bp = sysLen > 0 ? exp(1 - refLen / sysLen) : 0.0;
    const precisions = new Array<number>(maxNgramOrder).fill(0);
    if (!correct.some((c) => c !== 0)) return new BLEUScore(0.0, correct, total, precisions, bp, sysLen, refLen);
    let smoothMteval = 1.0;
    let effOrder = maxNgramOrder;
    for (let n = 1; n <= maxNgramOrder; n++) {
      if (smoothMethod === 'add-k' && n > 1) {
        correct[n - 1]! += value;
        total[n - 1]! += value;
      }
      if (total[n - 1] === 0) break;
      if (effectiveOrder) effOrder = n;
      if (correct[n - 1] === 0) {
        if (smoothMethod === 'exp') {
          smoothMteval *= 2;
          precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]!);
        } else if (smoothMethod === 'floor') {
          precisions[n - 1] = (100.0 * value) / total[n - 1]!;
        }
      } else {
        precisions[n - 1] = (100.0 * correct[n - 1]!) / total[n - 1]!;
      }
    }
    let logSum = 0;
    for (let i = 0; i < effOrder; i++) logSum += myLog(precisions[i]!);
    const score = bp * exp(logSum / effOrder);
    return new BLEUScore(score, correct, total, precisions, bp, sysLen, refLen);
  }

  preprocessSegment(sent: string): string {
    if (this.lowercase) sent = pyLower(sent);
    return this.tokenizer(pyRstrip(sent));
  }

  protected extractReferenceInfo(refs: string[]): BLEURefInfo {
    const tokens = refs.map(this.split);
    return { tokens, ids: tokens.map((t) => this.interner.ids(t)), lens: tokens.map((t) => t.length) };
  }

  protected computeSegmentStatistics(hyp: string, ref: BLEURefInfo): number[] {
    const words = this.split(hyp);
    const hypLen = words.length;
    // The closest reference length, the shorter one on ties.
    let closestDiff = -1;
    let refLen = -1;
    for (const len of ref.lens) {
      const diff = Math.abs(hypLen - len);
      if (closestDiff === -1 || diff < closestDiff) {
        closestDiff = diff;
        refLen = len;
      } else if (diff === closestDiff && len < refLen) refLen = len;
    }
    const N = this.maxNgramOrder;
    const correct = new Array<number>(N).fill(0);
    this.countMatches(words, ref, correct);
    const total = new Array<number>(N);
    for (let n = 1; n <= N; n++) total[n - 1] = Math.max(0, hypLen - n + 1);
    return [hypLen, refLen, ...correct, ...total];
  }

  /** Clipped matches of the hypothesis n-grams against the maximum counts over the references. */
  private countMatches(words: string[], ref: BLEURefInfo, correct: number[]): void {
    const N = this.maxNgramOrder;
    this.local.begin();
    const need = Math.max(words.length, ...ref.lens);
    while (this.scratch.length < ref.ids.length + 1) this.scratch.push(new Int32Array(256));
    if (this.scratch[0]!.length < need) this.scratch = this.scratch.map(() => new Int32Array(2 * need));
    const refs: Int32Array[] = [];
    for (let r = 0; r < ref.ids.length; r++) refs.push(this.local.map(ref.ids[r]!, this.scratch[r + 1]));
    if (this.hypIds.length < words.length) this.hypIds = new Int32Array(2 * words.length);
    const hyp = this.local.map(this.interner.ids(words, this.hypIds), this.scratch[0]);
    if (!keysFit(this.local.size, N)) {
      new NgramTable(ref.tokens, N).countMatches(words, correct);
      return;
    }
    const base = this.local.size + 1;
    const { table, perRef } = this;
    let refTokens = 0;
    for (const len of ref.lens) refTokens += len;
    table.reset(refTokens * N);
    if (refs.length === 1) addNgrams(table, refs[0]!, N, base);
    else {
      for (const r of refs) {
        perRef.reset(r.length * N);
        addNgrams(perRef, r, N, base);
        for (const key of perRef.inserted) table.max(key, perRef.get(key));
      }
    }
    takeNgrams(table, hyp, N, base, correct);
  }

  computeScoreFromStats(stats: ArrayLike<number>): BLEUScore {
    const N = this.maxNgramOrder;
    return BLEU.computeBleu(
      Array.from({ length: N }, (_, i) => stats[2 + i]!),
      Array.from({ length: N }, (_, i) => stats[2 + N + i]!),
      Math.trunc(stats[0]!),
      Math.trunc(stats[1]!),
      this.smoothMethod,
      this.smoothValue,
      this.effectiveOrder,
      N,
    );
  }

  getSignature(): Signature {
    if (this.numRefs === undefined) throw new Error('Number of references unknown, please evaluate the metric first.');
    const sig = new Signature(this.numRefs, this.nBootstrap, this.seed);
    let smooth: string = this.smoothMethod;
    const def = SMOOTH_DEFAULTS[this.smoothMethod];
    if (def !== null) smooth += `[${pyFixed(this.smoothValue ?? def, 2)}]`;
    sig.update('case', this.lowercase ? 'lc' : 'mixed', 'c');
    sig.update('eff', this.effectiveOrder ? 'yes' : 'no', 'e');
    sig.update('tok', this.tokenizeName, 'tok');
    sig.update('smooth', smooth, 's');
    return sig;
  }
}
