// Corpus BLEU and chrF of translations against one reference each, with sacreBLEU signatures (@parley/metrics).
import { BLEU, CHRF } from '@parley/metrics';

export interface CorpusScores {
  /** sacreBLEU BLEU (13a tokenization, exp smoothing). */
  bleu: number;
  /** chrF2. */
  chrf: number;
  bleuSignature: string;
  chrfSignature: string;
}

export function corpusScores(hyps: readonly string[], refs: readonly string[]): CorpusScores {
  const bleu = new BLEU();
  const chrf = new CHRF();
  const b = bleu.corpusScore(hyps, [refs]);
  const c = chrf.corpusScore(hyps, [refs]);
  return {
    bleu: b.score,
    chrf: c.score,
    bleuSignature: bleu.getSignature().format(),
    chrfSignature: chrf.getSignature().format(),
  };
}
