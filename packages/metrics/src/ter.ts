// TER (Snover et al., 2006) as sacreBLEU 2.6.0 computes it: the fewest edits (with Tercom's
// shifts) against the closest reference, divided by the average reference length.
import { Metric, Score, Signature } from './base';
import { pyRstrip, pySplit } from './python';
import { TercomTokenizer, type TercomOptions } from './tercom';
import { translationEditRate } from './ter-lib';

export type TEROptions = TercomOptions;

/** A TER score: 100 × edits / average reference length. */
export class TERScore extends Score {
  /** Total edits, truncated to an integer. */
  readonly numEdits: number;

  constructor(
    score: number,
    numEdits: number,
    /** Sum over segments of the average reference length. */
    readonly refLength: number,
  ) {
    super('TER', score);
    this.numEdits = Math.trunc(numEdits);
  }
}

export class TER extends Metric<TERScore, string[][]> {
  readonly normalized: boolean;
  readonly noPunct: boolean;
  readonly asianSupport: boolean;
  readonly caseSensitive: boolean;
  private readonly tokenizer: TercomTokenizer;

  constructor(options: TEROptions = {}) {
    super();
    this.normalized = options.normalized ?? false;
    this.noPunct = options.noPunct ?? false;
    this.asianSupport = options.asianSupport ?? false;
    this.caseSensitive = options.caseSensitive ?? false;
    this.tokenizer = new TercomTokenizer(options);
  }

  preprocessSegment(sent: string): string {
    return this.tokenizer.tokenize(pyRstrip(sent));
  }

  // sacreBLEU preprocesses references a second time here; the tokenizer is applied twice, as there.
  protected extractReferenceInfo(refs: string[]): string[][] {
    return refs.map((r) => pySplit(this.preprocessSegment(r)));
  }

  protected computeSegmentStatistics(hyp: string, refWords: string[][]): number[] {
    const vocab = new Map<string, number>();
    const ids = (words: string[]) => {
      const out = new Int32Array(words.length);
      for (let i = 0; i < words.length; i++) {
        let id = vocab.get(words[i]!);
        if (id === undefined) vocab.set(words[i]!, (id = vocab.size + 1));
        out[i] = id;
      }
      return out;
    };
    const hypIds = ids(pySplit(hyp));
    let refLengths = 0;
    let bestEdits = 1e16;
    for (const words of refWords) {
      const edits = translationEditRate(hypIds, ids(words));
      refLengths += words.length;
      if (edits < bestEdits) bestEdits = edits;
    }
    return [bestEdits, refLengths / refWords.length];
  }

  computeScoreFromStats(stats: ArrayLike<number>, float32 = false): TERScore {
    const totalEdits = stats[0]!;
    const sumRefLengths = stats[1]!;
    let score: number;
    if (sumRefLengths > 0) score = float32 ? Math.fround(totalEdits / sumRefLengths) : totalEdits / sumRefLengths;
    else if (totalEdits > 0) score = 1.0;
    else score = 0.0;
    return new TERScore(100 * score, totalEdits, sumRefLengths);
  }

  getSignature(): Signature {
    if (this.numRefs === undefined) throw new Error('Number of references unknown, please evaluate the metric first.');
    const sig = new Signature(this.numRefs, this.nBootstrap, this.seed);
    sig.update('case', this.caseSensitive ? 'mixed' : 'lc', 'c');
    sig.update('tok', this.tokenizer.signature(), 't');
    sig.update('norm', this.normalized, 'nr');
    sig.update('punct', !this.noPunct, 'pn');
    sig.update('asian', this.asianSupport, 'as');
    return sig;
  }
}
