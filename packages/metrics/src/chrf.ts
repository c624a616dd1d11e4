// chrF (Popović, 2015) and chrF++ (Popović, 2017) as sacreBLEU 2.6.0 computes them: character
// n-gram (and, for chrF++, word n-gram) precision and recall, averaged over orders, into an F-beta.
import { Metric, Score, Signature } from './base';
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
  /** Per reference: character table, its length in characters, word table, its word count. */
  chars: NgramTable;
  nChars: number;
  words: NgramTable | undefined;
  nWords: number;
}

export class CHRF extends Metric<CHRFScore, CHRFRef[]> {
  readonly charOrder: number;
  readonly wordOrder: number;
  readonly beta: number;
  readonly order: number;
  readonly lowercase: boolean;
  readonly whitespace: boolean;
  readonly epsSmoothing: boolean;

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
      const chars = this.chars(ref);
      const words = this.wordOrder > 0 ? this.removePunctuation(ref) : [];
      return {
        chars: new NgramTable([chars], this.charOrder),
        nChars: chars.length,
        words: this.wordOrder > 0 ? new NgramTable([words], this.wordOrder) : undefined,
        nWords: words.length,
      };
    });
  }

  protected computeSegmentStatistics(hyp: string, refs: CHRFRef[]): number[] {
    const hypChars = this.chars(hyp);
    const hypWords = this.wordOrder > 0 ? this.removePunctuation(hyp) : [];
    let best: number[] = [];
    let bestF = -1.0;
    for (const ref of refs) {
      const stats: number[] = [];
      const charMatches = new Array<number>(this.charOrder).fill(0);
      ref.chars.countMatches(hypChars, charMatches);
      for (let n = 1; n <= this.charOrder; n++) {
        const refCount = Math.max(0, ref.nChars - n + 1);
        stats.push(refCount > 0 ? Math.max(0, hypChars.length - n + 1) : 0, refCount, charMatches[n - 1]!);
      }
      if (ref.words) {
        const wordMatches = new Array<number>(this.wordOrder).fill(0);
        ref.words.countMatches(hypWords, wordMatches);
        for (let n = 1; n <= this.wordOrder; n++) {
          const refCount = Math.max(0, ref.nWords - n + 1);
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
