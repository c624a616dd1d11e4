// The Evaluate screen's service: @parley/metrics' BLEU, chrF and TER (sacreBLEU 2.6.0-exact) with
// bootstrap confidence intervals, and paired bootstrap resampling against the first system when there
// are two or more; predicted labels are scored in evaluate-labels.ts.
import { BLEU, CHRF, TER, pairedTest, type Metric } from '@parley/metrics';
import { readTextLines } from '@parley/text';
import type { EvalService, MetricScore, SystemReport } from '../services';
import { evaluateLabels } from './evaluate-labels';

/** Bootstrap resamples for the confidence intervals and the paired test (sacreBLEU's default). */
export const BOOTSTRAP_N = 1000;

const metricsFor = (): Metric[] => [new BLEU(), new CHRF(), new TER()];

export const evalService: EvalService = {
  async evaluate(hypFiles, refFiles) {
    const start = performance.now();
    const refs = refFiles.map(readTextLines);
    const inputs = hypFiles.map((file) => ({ file, lines: readTextLines(file) }));
    const [ref] = refs;
    const [first] = inputs;
    if (!ref || !first) throw new Error('give a hypothesis file and a reference file');
    const mismatch = (file: string | undefined, n: number) =>
      new Error(`${file} has ${n} lines but ${refFiles[0]} has ${ref.length}`);
    for (const [i, r] of refs.entries()) if (r.length !== ref.length) throw mismatch(refFiles[i], r.length);
    for (const h of inputs) if (h.lines.length !== ref.length) throw mismatch(h.file, h.lines.length);
    let systems: SystemReport[];
    if (inputs.length === 1) {
      systems = [
        {
          file: first.file,
          scores: metricsFor().map((m): MetricScore => {
            const s = m.corpusScore(first.lines, refs, BOOTSTRAP_N);
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
        inputs.map((h) => [h.file, h.lines] as const),
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
      pairedTest: inputs.length > 1 ? `paired bootstrap resampling, n=${BOOTSTRAP_N}` : undefined,
      millis: performance.now() - start,
    };
  },
  evaluateLabels,
};
