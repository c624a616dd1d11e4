import { describe, expect, it } from 'vitest';
import { BLEU, CHRF, TER, evaluate, formatReport } from './index';

const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
const ref1 = ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'];
const ref2 = ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'];

describe('sacreBLEU-style API', () => {
  it('scores a corpus with several reference streams and reports statistics in camelCase', () => {
    const bleu = new BLEU();
    const s = bleu.corpusScore(hyps, [ref1, ref2]);
    expect(s.score).toBe(48.530827009929865);
    expect(s.sysLen).toBe(17);
    expect(s.refLen).toBe(18);
    expect(s.counts.length).toBe(4);
    expect(bleu.getSignature().toString()).toBe('nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0');
  });

  it('marks a variable number of references as nrefs:var and ignores missing ones', () => {
    const bleu = new BLEU();
    const varStats = bleu.extractCorpusStatistics(hyps, [ref1, [ref2[0]!, null, ref2[2]!]]);
    expect(bleu.getSignature().format(true)).toContain('#:var');
    const single = new BLEU().extractCorpusStatistics([hyps[1]!], [[ref1[1]!]]);
    expect(varStats[1]).toEqual(single[0]);
  });

  it('sentence scores take one string per reference', () => {
    const chrf = new CHRF({ wordOrder: 2 });
    const s = chrf.sentenceScore(hyps[0]!, [ref1[0]!, ref2[0]!]);
    expect(s.name).toBe('chrF2++');
    expect(s.score).toBe(100);
    const bleu = new BLEU({ effectiveOrder: true });
    expect(bleu.sentenceScore('a b', ['a b c']).score).toBeGreaterThan(0);
  });

  it('counts a block move as one TER shift', () => {
    const ter = new TER();
    const s = ter.corpusScore(['d e f g h a b c'], [['a b c d e f g h']]);
    expect(s.score).toBe(12.5);
    expect(s.numEdits).toBe(1);
  });

  it('rejects reference streams of another length', () => {
    expect(() => new BLEU().corpusScore(hyps, [ref1.slice(0, 2)])).toThrow(/3 hypotheses.*2 segments/);
  });
});

describe('evaluate (the report behind parley eval)', () => {
  it('returns scores, signatures and confidence intervals without printing', () => {
    const report = evaluate([{ name: 'sys', hyps }], [ref1], {
      metrics: ['ter', 'bleu'],
      confidence: true,
      confidenceN: 200,
    });
    expect(report.mode).toBe('corpus');
    if (report.mode !== 'corpus') return;
    expect(report.metrics.map((m) => m.name)).toEqual(['BLEU', 'TER']);
    expect(report.metrics[0]!.signature).toContain('bs:200|seed:12345');
    const bleu = report.systems[0]!.scores[0]!;
    expect(bleu.mean).toBeGreaterThan(0);
    expect(bleu.ci).toBeGreaterThan(0);
    expect(formatReport(report, { format: 'text' })).toMatch(/^ *BLEU\|nrefs:1\|bs:200/);
  });

  it('runs paired tests against the first system', () => {
    const report = evaluate(
      [
        { name: 'a', hyps },
        { name: 'b', hyps: ref2 },
      ],
      [ref1],
      { pairedAr: true, pairedArN: 500 },
    );
    expect(report.mode).toBe('paired');
    if (report.mode !== 'paired') return;
    expect(report.systems[0]!.name).toBe('Baseline: a');
    expect(report.systems[1]!.results[0]!.pValue).toBeGreaterThan(0);
    expect(report.metrics[0]!.signature).toContain('ar:500|seed:12345');
  });
});
