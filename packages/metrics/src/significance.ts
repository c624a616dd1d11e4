// Statistical significance as sacreBLEU 2.6.0 computes it: bootstrap confidence intervals, the
// paired bootstrap resampling test and the paired approximate randomization test against a
// baseline. Draws come from numpy's `default_rng(seed)` (reproduced in pcg64.ts), sums follow
// numpy's float32 / pairwise float64 arithmetic, so p-values, means and intervals are sacreBLEU's.
import type { Metric, RefStreams, Score, Signature } from './base';
import { Generator } from './pcg64';
import { numpyMean } from './stats';

/** The seed sacreBLEU uses: $SACREBLEU_SEED, default 12345; 'none' draws a random one. */
export function defaultSeed(): { seed: number | null; label: string } {
  const raw = process.env.SACREBLEU_SEED ?? '12345';
  if (raw.toLowerCase() === 'none') return { seed: null, label: 'none' };
  const seed = Number.parseInt(raw, 10);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new Error(`SACREBLEU_SEED must be a non-negative integer or 'none', got '${raw}'`);
  return { seed, label: String(seed) };
}

function makeGenerator(seed: number | null): Generator {
  return new Generator(seed ?? Math.floor(Math.random() * 2 ** 52));
}

/**
 * For each of `nSamples` resamples, the float32 column sums of the resampled rows
 * (numpy `np.array(stats, 'float32')[idxs].sum(0)`, which accumulates row by row in float32).
 * When every statistic is an integer and every column total stays below 2^24, float32 sums are
 * exact in any order, so plain float64 accumulation gives the same numbers faster.
 */
function resampledSums(
  stats: ReadonlyArray<ReadonlyArray<number>>,
  idxs: Int32Array,
  nSamples: number,
): Float64Array[] {
  const n = stats.length;
  const k = stats[0]?.length ?? 0;
  const flat = new Float64Array(n * k);
  let exact = true;
  const colMax = new Float64Array(k);
  stats.forEach((row, i) => {
    for (let j = 0; j < k; j++) {
      const v = Math.fround(row[j]!);
      flat[i * k + j] = v;
      if (!Number.isInteger(v) || v < 0) exact = false;
      else if (v > colMax[j]!) colMax[j] = v;
    }
  });
  for (let j = 0; j < k; j++) if (colMax[j]! * n >= 2 ** 24) exact = false;
  const out: Float64Array[] = [];
  for (let s = 0; s < nSamples; s++) {
    const acc = exact ? new Float64Array(k) : new Float32Array(k);
    const base = s * n;
    for (let i = 0; i < n; i++) {
      const off = idxs[base + i]! * k;
      for (let j = 0; j < k; j++) acc[j] = acc[j]! + flat[off + j]!;
    }
    out.push(exact ? (acc as Float64Array) : Float64Array.from(acc));
  }
  return out;
}

/** The metric's score of each resample: `idxs` holds `nSamples` runs of `stats.length` row indices. */
function resampledScores(
  metric: Metric,
  stats: ReadonlyArray<ReadonlyArray<number>>,
  idxs: Int32Array,
  nSamples: number,
): number[] {
  return resampledSums(stats, idxs, nSamples).map((s) => metric.computeScoreFromStats(s, true).score);
}

/** Scores of bootstrap resamples of one system (sacreBLEU's `_bootstrap_resample`). */
export function bootstrapResample(
  stats: number[][],
  metric: Metric,
  nSamples = 1000,
): { seed: string; scores: number[] } {
  const { seed, label } = defaultSeed();
  const rng = makeGenerator(seed);
  const idxs = rng.integers(stats.length, nSamples * stats.length);
  return { seed: label, scores: resampledScores(metric, stats, idxs, nSamples) };
}

/** numpy-exact mean and 95% interval half-width of bootstrap scores (sacreBLEU's `estimate_ci`). */
export function estimateCi(scores: ArrayLike<number>): { mean: number; ci: number } {
  const sorted = Float64Array.from(scores).sort();
  const n = sorted.length;
  const lowerIdx = Math.floor(n / 40);
  const upperIdx = n - lowerIdx - 1;
  return { mean: numpyMean(sorted), ci: 0.5 * (sorted[upperIdx]! - sorted[lowerIdx]!) };
}

function pValue(stats: ArrayLike<number>, realDifference: number): number {
  let c = 0;
  for (let i = 0; i < stats.length; i++) if (stats[i]! > realDifference) c++;
  return (c + 1) / (stats.length + 1);
}

/** A system's result in a paired test. */
export interface PairedResult {
  /** The system's corpus score. */
  score: number;
  /** p-value against the baseline (null for the baseline). */
  pValue: number | null;
  /** Bootstrap mean (null when not estimated). */
  mean: number | null;
  /** Half-width of the 95% confidence interval (null when not estimated). */
  ci: number | null;
}

/** Options of `pairedTest`. */
export interface PairedTestOptions {
  /** `bs` paired bootstrap resampling, `ar` approximate randomization. */
  testType: 'bs' | 'ar';
  /** Resamples (bs, default 1000) or trials (ar, default 10000). */
  nSamples?: number;
  /** For `ar`: bootstrap resamples for confidence intervals (-1 = none, the default). */
  nArConfidence?: number;
  /** Called with sacreBLEU's progress messages. */
  log?: (message: string) => void;
}

/** Metrics keyed by the name they report (`BLEU`, `chrF2`, `TER`). */
export interface PairedTestOutput {
  /** Signatures with the test's `bs`/`ar` and `seed` entries, per metric name. */
  signatures: Record<string, Signature>;
  /** Per metric name, one result per system, the baseline first. */
  results: Record<string, PairedResult[]>;
}

/**
 * Compares every system to the first one (the baseline) with sacreBLEU's paired test.
 * `systems` are [name, hypotheses]; `metrics` are keyed by the CLI's metric names.
 */
export function pairedTest(
  systems: ReadonlyArray<readonly [string, ReadonlyArray<string>]>,
  metrics: ReadonlyArray<Metric>,
  references: RefStreams,
  options: PairedTestOptions,
): PairedTestOutput {
  const log = options.log ?? (() => {});
  const { testType } = options;
  const { seed, label } = defaultSeed();
  const nSamples = options.nSamples && options.nSamples > 0 ? options.nSamples : testType === 'ar' ? 10000 : 1000;
  const nArConfidence = options.nArConfidence === 0 ? 1000 : (options.nArConfidence ?? -1);
  const [first] = systems;
  if (!first) throw new Error('A paired test needs a baseline system and at least one more.');
  const [blName, blHyps] = first;
  const signatures: Record<string, Signature> = {};
  const results: Record<string, PairedResult[]> = {};
  const baseline: Array<{ name: string; stats: number[][]; score: Score; bootstrap?: number[] }> = [];

  for (const metric of metrics) {
    log(`Pre-computing ${metric.constructor.name} statistics for '${blName}'`);
    metric.setReferences(references);
    const stats = metric.extractCorpusStatistics(blHyps);
    const score = metric.aggregateAndCompute(stats);
    const confidenceN = testType === 'bs' ? nSamples : nArConfidence;
    let mean: number | null = null;
    let ci: number | null = null;
    let bootstrap: number[] | undefined;
    if (confidenceN > 0) {
      const bs = bootstrapResample(stats, metric, confidenceN);
      ({ mean, ci } = estimateCi(bs.scores));
      // With a fixed seed the paired bootstrap draws these same resamples for the baseline.
      if (testType === 'bs' && seed) bootstrap = bs.scores;
    }
    results[score.name] = [{ score: score.score, pValue: null, mean, ci }];
    baseline.push({ name: score.name, stats, score, bootstrap });
    const sig = metric.getSignature();
    sig.update('seed', label);
    sig.update(testType, nSamples);
    if (nArConfidence > 0) sig.update('bs', nArConfidence);
    signatures[score.name] = sig;
  }

  for (const [sysName, hyps] of systems.slice(1)) {
    const rng = makeGenerator(seed || null);
    const n = hyps.length;
    // One generator per system, drawn in sacreBLEU's order: the bootstrap's indices; or the randomization's
    // coin flips, then the indices of its confidence-interval bootstrap.
    const idxs = testType === 'bs' ? rng.integers(n, nSamples * n) : undefined;
    const posSel = testType === 'ar' ? rng.booleans(nSamples * n) : undefined;
    const bsIdxs = testType === 'ar' && nArConfidence > 0 ? rng.integers(n, nArConfidence * n) : undefined;
    metrics.forEach((metric, m) => {
      const bl = baseline[m]!;
      log(`Computing ${bl.name} for '${sysName}' and extracting sufficient statistics`);
      const sysStats = metric.extractCorpusStatistics(hyps);
      const sysScore = metric.aggregateAndCompute(sysStats);
      const diff = Math.abs(bl.score.score - sysScore.score);
      if (idxs) {
        log(` > Performing paired bootstrap resampling test (# resamples: ${nSamples})`);
        const scoresBl = bl.bootstrap ?? resampledScores(metric, bl.stats, idxs, nSamples);
        const scoresSys = resampledScores(metric, sysStats, idxs, nSamples);
        const { mean, ci } = estimateCi(scoresSys);
        const sampleDiffs = scoresSys.map((s, i) => Math.abs(s - scoresBl[i]!));
        const diffMean = numpyMean(sampleDiffs);
        const centred = sampleDiffs.map((d) => d - diffMean);
        results[bl.name]!.push({ score: sysScore.score, pValue: pValue(centred, diff), mean, ci });
        return;
      }
      log(` > Performing approximate randomization test (# trials: ${nSamples})`);
      const k = sysStats[0]?.length ?? 0;
      const diffs = new Float64Array(nSamples);
      const a = new Float64Array(k);
      const b = new Float64Array(k);
      for (let t = 0; t < nSamples; t++) {
        a.fill(0);
        b.fill(0);
        for (let i = 0; i < n; i++) {
          const pos = posSel![t * n + i] === 1;
          const blRow = bl.stats[i]!;
          const sysRow = sysStats[i]!;
          for (let j = 0; j < k; j++) {
            a[j]! += pos ? blRow[j]! : sysRow[j]!;
            b[j]! += pos ? sysRow[j]! : blRow[j]!;
          }
        }
        diffs[t] = Math.abs(metric.computeScoreFromStats(a).score - metric.computeScoreFromStats(b).score);
      }
      const res: PairedResult = { score: sysScore.score, pValue: pValue(diffs, diff), mean: null, ci: null };
      if (bsIdxs) {
        log(` > Performing bootstrap resampling for confidence interval (# resamples: ${nArConfidence})`);
        ({ mean: res.mean, ci: res.ci } = estimateCi(resampledScores(metric, sysStats, bsIdxs, nArConfidence)));
      }
      results[bl.name]!.push(res);
    });
  }
  return { signatures, results };
}
