// `npm run bench -- metrics [--pairs N] [--runs N]`: BLEU, chrF, TER and all three (as `parley eval -m bleu chrf ter`
// computes them) on 10,000 synthetic sentence pairs generated deterministically here.
// sacreBLEU 2.6.0 is not installed on this machine, so the baseline is its published timing on
// the same task (issue #3: BLEU 0.9 s, chrF 1.3 s, TER 23 s, the CLI with all three 26.5 s).
import { BLEU, CHRF, TER } from '@parley/metrics';
import { seededRandom } from '@parley/text';
import type { Measurement } from './lib';
import { median, suiteArgs, suiteSpec, timeMedian } from './lib';

const SACREBLEU_SECONDS: Record<string, number> = { bleu: 0.9, chrf: 1.3, ter: 23, all: 26.5 };

/** `n` reference sentences and hypotheses made from them by word substitutions, drops, insertions and moves. */
export function syntheticPairs(n: number, seed = 1): { hyps: string[]; refs: string[] } {
  const r = seededRandom(seed);
  const syll = ['ka', 'lo', 'mi', 'ren', 'to', 'sa', 'vel', 'do', 'ne', 'ur', 'qua', 'is', 'ti', 'mor', 'ba'];
  const vocab = Array.from({ length: 3000 }, () => {
    const k = 1 + Math.floor(r() * 3);
    let w = '';
    for (let i = 0; i < k; i++) w += syll[Math.floor(r() * syll.length)];
    return w;
  });
  const word = () => vocab[Math.floor(Math.pow(r(), 2) * vocab.length)]!; // Zipf-like
  const punct = [',', '.', '?', '!', ';'];
  const hyps: string[] = [];
  const refs: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = 8 + Math.floor(r() * 25);
    const ref = Array.from({ length: len }, word);
    if (r() < 0.3) ref[Math.floor(r() * len)] += punct[Math.floor(r() * punct.length)]!;
    ref[0] = ref[0]![0]!.toUpperCase() + ref[0]!.slice(1);
    const hyp = [...ref];
    const edits = Math.floor(r() * len * 0.4);
    for (let e = 0; e < edits; e++) {
      const p = Math.floor(r() * hyp.length);
      const op = r();
      if (op < 0.4) hyp[p] = word();
      else if (op < 0.6 && hyp.length > 2) hyp.splice(p, 1);
      else if (op < 0.8) hyp.splice(p, 0, word());
      else {
        // move a short phrase elsewhere (TER shifts)
        const l = 1 + Math.floor(r() * 3);
        const phrase = hyp.splice(p, l);
        hyp.splice(Math.floor(r() * (hyp.length + 1)), 0, ...phrase);
      }
    }
    refs.push(ref.join(' ') + '.');
    hyps.push(hyp.join(' ') + '.');
  }
  return { hyps, refs };
}

/** The suite's command line (`npm run bench -- metrics --help`). */
export const METRICS_ARGS = suiteSpec(
  'metrics',
  "BLEU, chrF, TER and all three on synthetic sentence pairs, against sacreBLEU's published timings.",
  {
    pairs: { type: 'int', min: 1, default: 10_000, help: 'sentence pairs scored per run' },
    runs: { type: 'int', min: 1, defaultText: '5; 3 for ter and all', help: 'timed runs per case' },
  },
);

export async function run(args: string[]): Promise<Measurement[]> {
  const { opts } = suiteArgs(METRICS_ARGS, args);
  const n = opts.pairs;
  const { hyps, refs } = syntheticPairs(n);
  const cases: Record<string, () => unknown> = {
    bleu: () => new BLEU().corpusScore(hyps, [refs]),
    chrf: () => new CHRF().corpusScore(hyps, [refs]),
    ter: () => new TER().corpusScore(hyps, [refs]),
    all: () => [new BLEU(), new CHRF(), new TER()].map((m) => m.corpusScore(hyps, [refs]).score),
  };
  const out: Measurement[] = [];
  for (const [name, fn] of Object.entries(cases)) {
    const runs = opts.runs ?? (name === 'ter' || name === 'all' ? 3 : 5);
    process.stderr.write(`metrics: ${name} on ${n} pairs (${runs} runs)...\n`);
    // CPU seconds too: on a shared machine the wall time includes waiting for the other processes.
    const cpu: number[] = [];
    const seconds = await timeMedian(
      () => {
        const c0 = process.cpuUsage();
        fn();
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1e6);
      },
      runs,
      1,
    );
    const baseline = SACREBLEU_SECONDS[name]! * (n / 10000);
    out.push({
      suite: 'metrics',
      case: `${name} ${n} pairs`,
      backend: 'js',
      seconds,
      cpuSeconds: median(cpu.slice(1)),
      sacrebleuSeconds: baseline,
      speedup: baseline / seconds,
    });
  }
  return out;
}
