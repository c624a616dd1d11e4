// The evaluation behind `parley eval` as a function: score one or more systems against reference
// streams with any of BLEU / chrF / TER, at corpus or sentence level, with bootstrap confidence
// intervals or a paired significance test — returning a report object (for the Ink app) that
// `cli-format.ts` prints exactly like sacreBLEU's CLI.
import type { Metric, RefStreams, Score } from './base';
import { BLEU, type BLEUOptions } from './bleu';
import { CHRF, type CHRFOptions } from './chrf';
import { pairedTest, type PairedResult } from './significance';
import { TER, type TEROptions } from './ter';

export type MetricKey = 'bleu' | 'chrf' | 'ter';
export const METRIC_KEYS: readonly MetricKey[] = ['bleu', 'chrf', 'ter'];

/** Options of `evaluate` (sacreBLEU CLI defaults). */
export interface EvalOptions {
  /** Metrics to compute (default ['bleu']); reported in sorted order. */
  metrics?: MetricKey[];
  bleu?: BLEUOptions;
  chrf?: CHRFOptions;
  ter?: TEROptions;
  /** Score each segment (one metric, one system); BLEU then uses effective order. */
  sentenceLevel?: boolean;
  /** Add bootstrap mean ± 95% CI to corpus scores (and to paired AR results). */
  confidence?: boolean;
  /** Bootstrap resamples for `confidence` (default 1000). */
  confidenceN?: number;
  /** Paired bootstrap resampling test of every system against the first (the baseline). */
  pairedBs?: boolean;
  /** Resamples of the paired bootstrap test (default 1000). */
  pairedBsN?: number;
  /** Paired approximate randomization test of every system against the first. */
  pairedAr?: boolean;
  /** Trials of the approximate randomization test (default 10000). */
  pairedArN?: number;
  /** Progress messages (sacreBLEU's info log lines). */
  log?: (message: string) => void;
}

/** One system's hypotheses. */
export interface SystemInput {
  name: string;
  hyps: ReadonlyArray<string>;
}

/** A metric of the report: its score name and signatures. */
export interface MetricInfo {
  key: MetricKey;
  /** Score name: `BLEU`, `chrF2`, `chrF2++`, `TER`... */
  name: string;
  signature: string;
  signatureShort: string;
}

export type EvalReport =
  | { mode: 'sentence'; metric: MetricInfo; segments: Score[] }
  | { mode: 'corpus'; metrics: MetricInfo[]; systems: Array<{ name: string; scores: Score[] }> }
  | {
      mode: 'paired';
      test: 'bs' | 'ar';
      /** Resamples (bs) or trials (ar). */
      nSamples: number;
      metrics: MetricInfo[];
      /** The baseline first, its name prefixed with `Baseline: `. */
      systems: Array<{ name: string; results: PairedResult[] }>;
    };

/** Builds the metric called `key` with the report's options. */
export function makeMetric(key: MetricKey, options: EvalOptions): Metric {
  const metric =
    key === 'bleu'
      ? new BLEU({ ...options.bleu, effectiveOrder: options.sentenceLevel || options.bleu?.effectiveOrder })
      : key === 'chrf'
        ? new CHRF(options.chrf)
        : new TER(options.ter);
  metric.onWarning = options.log;
  return metric;
}

function info(key: MetricKey, metric: Metric, name: string): MetricInfo {
  const sig = metric.getSignature();
  return { key, name, signature: sig.format(), signatureShort: sig.format(true) };
}

/** Scores `systems` against `refs` (reference streams parallel to every system's hypotheses). */
export function evaluate(systems: ReadonlyArray<SystemInput>, refs: RefStreams, options: EvalOptions = {}): EvalReport {
  const keys = [...new Set<MetricKey>(options.metrics ?? ['bleu'])].sort();
  const log = options.log ?? (() => {});
  if (systems.length === 0) throw new Error('no system to evaluate');
  for (const s of systems) {
    for (const r of refs) {
      if (r.length !== s.hyps.length)
        throw new Error(
          `System and reference streams have different lengths (${s.name}: ${s.hyps.length} lines, a reference: ${r.length} lines).`,
        );
    }
  }

  if (options.sentenceLevel) {
    if (keys.length > 1) throw new Error('Only one metric can be used in sentence-level mode.');
    if (systems.length > 1) throw new Error('Multiple systems are not supported in sentence-level mode.');
    const [key] = keys;
    const [system] = systems;
    if (key === undefined || system === undefined) throw new Error('Sentence-level mode needs a metric and a system.');
    const metric = makeMetric(key, options);
    const segments = system.hyps.map((hyp, i) =>
      metric.sentenceScore(
        hyp,
        refs.map((r) => r[i]).filter((x): x is string => x !== null && x !== undefined),
      ),
    );
    const name = segments[0]?.name ?? key.toUpperCase();
    return { mode: 'sentence', metric: info(key, metric, name), segments };
  }

  if (options.pairedBs || options.pairedAr) {
    if (systems.length < 2) throw new Error('Paired tests require multiple input systems given to --input (-i).');
    const test = options.pairedBs ? 'bs' : 'ar';
    const nSamples = test === 'bs' ? (options.pairedBsN ?? 1000) : (options.pairedArN ?? 10000);
    const metrics = keys.map((k) => makeMetric(k, options));
    const named = systems.map((s, i) => [i === 0 ? `Baseline: ${s.name}` : s.name, s.hyps] as const);
    const out = pairedTest(named, metrics, refs, {
      testType: test,
      nSamples,
      nArConfidence: options.confidence ? (options.confidenceN ?? 1000) : -1,
      log,
    });
    const names = Object.keys(out.results);
    const infos = names.map((name, m) => {
      const sig = out.signatures[name]!;
      return { key: keys[m]!, name, signature: sig.format(), signatureShort: sig.format(true) };
    });
    return {
      mode: 'paired',
      test,
      nSamples,
      metrics: infos,
      systems: named.map(([name], i) => ({ name, results: names.map((n) => out.results[n]![i]!) })),
    };
  }

  const metrics = keys.map((key) => ({ key, metric: makeMetric(key, options) }));
  for (const { metric } of metrics) metric.setReferences(refs);
  const nBootstrap = options.confidence ? (options.confidenceN ?? 1000) : 1;
  const scored = systems.map((s) => ({
    name: s.name,
    scores: metrics.map(({ metric }) => metric.corpusScore(s.hyps, null, nBootstrap)),
  }));
  const [first] = scored;
  if (!first) throw new Error('No system to score: give one with --input (-i) or on stdin.');
  return {
    mode: 'corpus',
    metrics: metrics.map(({ key, metric }, i) => info(key, metric, first.scores[i]?.name ?? key.toUpperCase())),
    systems: scored,
  };
}
