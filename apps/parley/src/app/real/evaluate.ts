// The Evaluate screen's service: @parley/metrics' BLEU, chrF and TER (sacreBLEU 2.6.0-exact) with
// bootstrap confidence intervals, and paired bootstrap resampling against the first system when there
// are two or more; predicted labels are scored in evaluate-labels.ts.
import { readFileSync } from 'node:fs';
import { BLEU, CHRF, TER, pairedTest, type Metric } from '@parley/metrics';
import type { EvalService, MetricScore, SystemReport } from '../services';
import { evaluateLabels } from './evaluate-labels';

/** Bootstrap resamples for the confidence intervals and the paired test (sacreBLEU's default). */
export const BOOTSTRAP_N = 1000;

/** The lines of a text file (a final newline does not make an extra line). */
export function readLines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) throw new Error(`${file}:${text.slice(0, bad).split('\n').length}: invalid UTF-8`);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

const metricsFor = (): Metric[] => [new BLEU(), new CHRF(), new TER()];

export const evalService: EvalService = {
  async evaluate(hypFiles, refFiles) {
    const start = performance.now();
    const refs = refFiles.map(readLines);
    const hyps = hypFiles.map(readLines);
    refs.forEach((r, i) => {
      if (r.length !== refs[0]!.length)
        throw new Error(`${refFiles[i]} has ${r.length} lines but ${refFiles[0]} has ${refs[0]!.length}`);
    });
    hyps.forEach((h, i) => {
      if (h.length !== refs[0]!.length)
        throw new Error(`${hypFiles[i]} has ${h.length} lines but ${refFiles[0]} has ${refs[0]!.length}`);
    });
    let systems: SystemReport[];
    if (hyps.length === 1) {
      systems = [
        {
          file: hypFiles[0]!,
          scores: metricsFor().map((m): MetricScore => {
            const s = m.corpusScore(hyps[0]!, refs, BOOTSTRAP_N);
            return {
              name: s.name,
              score: s.score,
              formatted: s.format(),
              signature: m.getSignature().format(),
              ci: { mean: s.mean, halfWidth: s.ci },
            };
          }),
        },
      ];
    } else {
      const metrics = metricsFor();
      const out = pairedTest(
        hypFiles.map((f, i) => [f, hyps[i]!] as const),
        metrics,
        refs,
        { testType: 'bs', nSamples: BOOTSTRAP_N },
      );
      const names = Object.keys(out.results);
      systems = hypFiles.map((file, i) => ({
        file,
        scores: names.map((name): MetricScore => {
          const r = out.results[name]![i]!;
          return {
            name,
            score: r.score,
            formatted: '',
            signature: out.signatures[name]?.format() ?? '',
            ci: r.mean !== null && r.ci !== null ? { mean: r.mean, halfWidth: r.ci } : undefined,
            pValue: r.pValue ?? undefined,
          };
        }),
      }));
    }
    return {
      refs: [...refFiles],
      systems,
      pairedTest: hyps.length > 1 ? `paired bootstrap resampling, n=${BOOTSTRAP_N}` : undefined,
      millis: performance.now() - start,
    };
  },
  evaluateLabels,
};
