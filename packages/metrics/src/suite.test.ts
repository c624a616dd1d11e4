// Every case of sacreBLEU 2.6.0's own test suite (../shared/vectors/sacrebleu-suite.json): scores
// to full float precision, statistics, signatures and formatted strings identical.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedFile, skipReason } from '../../../test/support/shared';
import { BLEU, CHRF, TER, TercomTokenizer, getTokenizer, type Metric, type Score } from './index';
import type { BLEUScore, SmoothMethod } from './bleu';
import type { TokenizerName } from './tokenizers';
import type { TERScore } from './ter';

const REL = 'vectors/sacrebleu-suite.json';
const reason = skipReason(REL);

type Opts = Record<string, unknown>;
interface Case {
  id: string;
  metric: string;
  kind: string;
  hyps: string[] | null;
  refs: Array<Array<string | null>> | null;
  options: Opts;
  stats?: { correct: number[]; total: number[]; sys_len: number; ref_len: number };
  expected: Record<string, unknown>;
}

function makeMetric(c: Case): Metric {
  const o = c.options;
  if (c.metric === 'bleu') {
    return new BLEU({
      tokenize: o.tokenize as TokenizerName,
      smoothMethod: o.smooth_method as SmoothMethod,
      smoothValue: o.smooth_value as number | null,
      lowercase: o.lowercase as boolean,
      force: o.force as boolean,
      effectiveOrder: o.use_effective_order as boolean,
      maxNgramOrder: o.max_ngram_order as number,
    });
  }
  if (c.metric === 'chrf') {
    return new CHRF({
      charOrder: o.char_order as number,
      wordOrder: o.word_order as number,
      beta: o.beta as number,
      lowercase: o.lowercase as boolean,
      whitespace: o.whitespace as boolean,
      epsSmoothing: o.eps_smoothing as boolean,
    });
  }
  return new TER({
    normalized: o.normalized as boolean,
    noPunct: o.no_punct as boolean,
    asianSupport: o.asian_support as boolean,
    caseSensitive: o.case_sensitive as boolean,
  });
}

function checkScore(c: Case, metric: Metric, score: Score): void {
  const e = c.expected;
  expect(score.score, 'score').toBe(e.score);
  if (c.metric === 'bleu' || c.metric === 'bleu_stats') {
    const b = score as BLEUScore;
    expect(b.counts, 'counts').toEqual(e.counts);
    expect(b.totals, 'totals').toEqual(e.totals);
    expect(b.precisions, 'precisions').toEqual(e.precisions);
    expect(b.bp, 'bp').toBe(e.bp);
    expect(b.sysLen, 'sys_len').toBe(e.sys_len);
    expect(b.refLen, 'ref_len').toBe(e.ref_len);
    expect(b.ratio, 'ratio').toBe(e.ratio);
  }
  if (c.metric === 'ter') {
    const t = score as TERScore;
    expect(t.numEdits, 'num_edits').toBe(e.num_edits);
    expect(t.refLength, 'ref_length').toBe(e.ref_length);
  }
  if (c.metric === 'bleu_stats') return;
  expect(score.name, 'name').toBe(e.name);
  const sig = metric.getSignature();
  expect(sig.format(), 'signature').toBe(e.signature);
  expect(sig.format(true), 'signature_short').toBe(e.signature_short);
  expect(score.format({ signature: sig.format() }), 'formatted').toBe(e.formatted);
  expect(score.format({ width: 1, signature: sig.format() }), 'formatted_cli').toBe(e.formatted_cli);
  expect(score.format({ width: 1, signature: sig.format(), isJson: true }), 'formatted_cli_json').toBe(
    e.formatted_cli_json,
  );
}

describe.skipIf(!!reason)('sacreBLEU 2.6.0 suite', () => {
  const data = reason
    ? { cases: [] as Case[] }
    : (JSON.parse(readFileSync(sharedFile(REL)!, 'utf8')) as { cases: Case[] });
  const counts = new Map<string, number>();
  for (const c of data.cases) counts.set(`${c.metric}/${c.kind}`, (counts.get(`${c.metric}/${c.kind}`) ?? 0) + 1);

  it('has cases of every kind', () => {
    process.stderr.write(
      `sacreBLEU suite: ${data.cases.length} cases (${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')})\n`,
    );
    expect(data.cases.length).toBeGreaterThan(90);
  });

  for (const c of data.cases) {
    it(c.id, () => {
      const e = c.expected;
      if (c.kind === 'tokenize') {
        const o = c.options;
        const tok =
          o.tokenizer === 'tercom'
            ? new TercomTokenizer({
                normalized: o.normalized as boolean,
                noPunct: o.no_punct as boolean,
                asianSupport: o.asian_support as boolean,
                caseSensitive: o.case_sensitive as boolean,
              })
            : undefined;
        const fn = tok ? (s: string) => tok.tokenize(s) : getTokenizer(o.tokenizer as string);
        expect(c.hyps!.map(fn)).toEqual(e.tokenized);
        expect(tok ? tok.signature() : (o.tokenizer as string)).toBe(e.tokenizer_signature);
        return;
      }
      if (c.kind === 'compute_bleu') {
        const o = c.options;
        const s = c.stats!;
        const score = BLEU.computeBleu(
          [...s.correct],
          [...s.total],
          s.sys_len,
          s.ref_len,
          o.smooth_method as SmoothMethod,
          o.smooth_value as number | null,
          o.use_effective_order as boolean,
          o.max_ngram_order as number,
        );
        checkScore(c, new BLEU(), score);
        return;
      }
      const metric = makeMetric(c);
      if (c.kind === 'sentence') {
        const refs = c.refs!.map((s) => s[0]!);
        const score = metric.sentenceScore(c.hyps![0]!, refs);
        checkScore(c, metric, score);
        expect(
          metric.extractCorpusStatistics(
            [c.hyps![0]!],
            refs.map((r) => [r]),
          ),
          'segment_stats',
        ).toEqual(e.segment_stats);
        return;
      }
      const score = metric.corpusScore(c.hyps!, c.refs!);
      checkScore(c, metric, score);
      expect(metric.extractCorpusStatistics(c.hyps!, c.refs!), 'segment_stats').toEqual(e.segment_stats);
    });
  }
});
