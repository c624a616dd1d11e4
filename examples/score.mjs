// Score two systems against references with BLEU and chrF, and test whether the second is significantly
// better than the first (paired bootstrap resampling, as `sacrebleu -i base.txt new.txt --paired-bs`):
//   node examples/score.mjs refs.txt baseline.txt system.txt
import { readFileSync } from 'node:fs';
import { evaluate, formatReport } from '@parley/metrics';

const [refs, ...systems] = process.argv.slice(2);
if (!refs || systems.length < 2) {
  console.error('usage: node examples/score.mjs REFS BASELINE SYSTEM...');
  process.exit(2);
}
const lines = (file) => readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
const report = evaluate(
  systems.map((file) => ({ name: file, hyps: lines(file) })),
  [lines(refs)],
  { metrics: ['bleu', 'chrf'], pairedBs: true, pairedBsN: 1000 },
);
console.log(formatReport(report, { format: 'text' }));
