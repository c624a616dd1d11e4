// chrF (Popović, 2015) and chrF++ (Popović, 2017) as sacreBLEU 2.6.0 computes them: character
// n-gram (and, for chrF++, word n-gram) precision and recall, averaged over orders, into an F-beta.
import { Metric, Score, Signature } from './base';
import { CountTable, Interner, LocalIds, addNgrams, keysFit, takeNgrams } from './fastngrams';
import { NgramTable } from './ngrams';
import { pyLower, pyRemoveWhitespace, pySplit } from './python';

export interface CHRFOptions {
  /** Character n-gram order (default 6). */
  charOrder?: number;
  /** Word n-gram order (default 0; 2 gives chrF++). */
  wordOrder?: number;
  /** Weight of recall over precision (default 2). */
  beta?: number;
  /** Lowercase before matching (default false). */
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams (default false). */
  whitespace?: boolean;
  /** Smooth with a tiny epsilon like chrF++.py / NLTK / Moses; default false = effective order (sacreBLEU < 2.0). */
  epsSmoothing?: boolean;
}

/** A chrF score; its name is `chrF<beta>` with one `+` per word order. */
export class CHRFScore extends Score {
  constructor(
    score: number,
    readonly charOrder: number,
    readonly wordOrder: number,
    readonly beta: number,
  ) {
    super(`chrF${beta}${'+'.repeat(wordOrder)}`, score);
  }
}

const PUNCTS = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

interface CHRFRef {
  /** One reference: its characters (code points + 1) and words (interned ids), and the strings for the slow path. */
  chars: Int32Array;
  words: Int32Array;
  charStrings: string[];
  wordStrings: string[];
}

/** Code points + 1 of `s`, skipping Python whitespace unless `keepSpace`. */
function charIds(s: string, keepSpace: boolean): Int32Array {
  const out = new Int32Array(s.length);
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (!keepSpace && isPyWhitespace(c)) continue;
    out[k++] = c + 1;
  }
  return out.subarray(0, k);
}

function isPyWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

export class CHRF extends Metric<CHRFScore, CHRFRef[]> {
  readonly charOrder: number;
  readonly wordOrder: number;
  readonly beta: number;
  readonly order: number;
  readonly lowercase: boolean;
  readonly whitespace: boolean;
  readonly epsSmoothing: boolean;
  private readonly interner = new Interner();
  private readonly local = new LocalIds();
  private readonly table = new CountTable();
  private scratchRef = new Int32Array(1024);
  private scratchHyp = new Int32Array(1024);

  constructor(options: CHRFOptions = {}) {
    super();
    this.charOrder = options.charOrder ?? 6;
    this.wordOrder = options.wordOrder ?? 0;
    this.beta = options.beta ?? 2;
    this.order = this.charOrder + this.wordOrder;
    this.lowercase = options.lowercase ?? false;
    this.whitespace = options.whitespace ?? false;
    this.epsSmoothing = options.epsSmoothing ?? false;
  }

  /** Splits words and separates one punctuation mark from their end (or else their start). */
  private removePunctuation(sent: string): string[] {
    const out: string[] = [];
    for (const w of pySplit(sent)) {
      const cps = Array.from(w);
      if (cps.length === 1) out.push(w);
      else if (PUNCTS.has(cps[cps.length - 1]!)) out.push(cps.slice(0, -1).join(''), cps[cps.length - 1]!);
      else if (PUNCTS.has(cps[0]!)) out.push(cps[0]!, cps.slice(1).join(''));
      else out.push(w);
    }
    return out;
  }

  private chars(sent: string): string[] {
    return Array.from(this.whitespace ? sent : pyRemoveWhitespace(sent));
  }

  preprocessSegment(sent: string): string {
    return this.lowercase ? pyLower(sent) : sent;
  }

  protected extractReferenceInfo(refs: string[]): CHRFRef[] {
    return refs.map((ref) => {
      const wordStrings = this.wordOrder > 0 ? this.removePunctuation(ref) : [];
      return {
        chars: charIds(ref, this.whitespace),
        words: this.interner.ids(wordStrings),
        charStrings: this.chars(ref),
        wordStrings,
      };
    });
  }

  /** Clipped matches per order of `hyp` against `ref` (both token id sequences), added to `out`. */
  private matches(
    hyp: Int32Array,
    ref: Int32Array,
    order: number,
    out: number[],
    hypStrings: () => string[],
    refStrings: string[],
  ): void {
    this.local.begin();
    if (this.scratchRef.length < ref.length) this.scratchRef = new Int32Array(2 * ref.length);
    if (this.scratchHyp.length < hyp.length) this.scratchHyp = new Int32Array(2 * hyp.length);
    const r = this.local.map(ref, this.scratchRef);
    const h = this.local.map(hyp, this.scratchHyp);
    if (!keysFit(this.local.size, order)) {
      new NgramTable([refStrings], order).countMatches(hypStrings(), out);
      return;
    }
    const base = this.local.size + 1;
    this.table.reset(r.length * order);
    addNgrams(this.table, r, order, base);
    takeNgrams(this.table, h, order, base, out);
  }

  protected computeSegmentStatistics(hyp: string, refs: CHRFRef[]): number[] {
    const hypChars = charIds(hyp, this.whitespace);
    const hypWordStrings = this.wordOrder > 0 ? this.removePunctuation(hyp) : [];
    const hypWords = this.interner.ids(hypWordStrings);
    let best: number[] = [];
    let bestF = -1.0;
    for (const ref of refs) {
      const stats: number[] = [];
      const charMatches = new Array<number>(this.charOrder).fill(0);
      this.matches(hypChars, ref.chars, this.charOrder, charMatches, () => this.chars(hyp), ref.charStrings);
      for (let n = 1; n <= this.charOrder; n++) {
        const refCount = Math.max(0, ref.chars.length - n + 1);
        stats.push(refCount > 0 ? Math.max(0, hypChars.length - n + 1) : 0, refCount, charMatches[n - 1]!);
      }
      if (this.wordOrder > 0) {
        const wordMatches = new Array<number>(this.wordOrder).fill(0);
        this.matches(hypWords, ref.words, this.wordOrder, wordMatches, () => hypWordStrings, ref.wordStrings);
        for (let n = 1; n <= this.wordOrder; n++) {
          const refCount = Math.max(0, ref.words.length - n + 1);
          stats.push(refCount > 0 ? Math.max(0, hypWords.length - n + 1) : 0, refCount, wordMatches[n - 1]!);
        }
      }
      const f = this.computeFScore(stats, false);
      if (f > bestF) {
        bestF = f;
        best = stats;
      }
    }
    return best;
  }

  /** The chrF score in [0, 100] from [hyp, ref, match] triples per order. */
  private computeFScore(stats: ArrayLike<number>, float32: boolean): number {
    const eps = 1e-16;
    const factor = this.beta ** 2;
    let score = 0.0;
    let effectiveOrder = 0;
    let avgPrec = 0.0;
    let avgRec = 0.0;
    // numpy divides two float32 statistics in float32 (sacreBLEU's bootstrap).
    const div = float32 ? (a: number, b: number) => Math.fround(a / b) : (a: number, b: number) => a / b;
    for (let i = 0; i < this.order; i++) {
      const nHyp = stats[3 * i]!;
      const nRef = stats[3 * i + 1]!;
      const nMatch = stats[3 * i + 2]!;
      const prec = nHyp > 0 ? div(nMatch, nHyp) : eps;
      const rec = nRef > 0 ? div(nMatch, nRef) : eps;
      const denom = factor * prec + rec;
      score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
      if (nHyp > 0 && nRef > 0) {
        avgPrec += prec;
        avgRec += rec;
        effectiveOrder += 1;
      }
    }
    if (this.epsSmoothing) return (100 * score) / this.order;
    if (effectiveOrder === 0) {
      avgPrec = 0.0;
      avgRec = 0.0;
    } else {
      avgPrec /= effectiveOrder;
      avgRec /= effectiveOrder;
    }
    if (avgPrec + avgRec) {
      score = (1 + factor) * avgPrec * avgRec;
      score /= factor * avgPrec + avgRec;
      return 100 * score;
    }
    return 0.0;
  }

  computeScoreFromStats(stats: ArrayLike<number>, float32 = false): CHRFScore {
    return new CHRFScore(this.computeFScore(stats, float32), this.charOrder, this.wordOrder, this.beta);
  }

  getSignature(): Signature {
    if (this.numRefs === undefined) throw new Error('Number of references unknown, please evaluate the metric first.');
    const sig = new Signature(this.numRefs, this.nBootstrap, this.seed);
    sig.update('case', this.lowercase ? 'lc' : 'mixed', 'c');
    sig.update('eff', this.epsSmoothing ? 'no' : 'yes', 'e');
    sig.update('nc', this.charOrder, 'nc');
    sig.update('nw', this.wordOrder, 'nw');
    sig.update('space', this.whitespace ? 'yes' : 'no', 's');
    return sig;
  }
}
