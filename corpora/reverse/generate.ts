// Joey NMT's reverse toy task: sequences of random integers; the target is the source reversed.
// `npx tsx corpora/reverse/generate.ts` (re)writes train.tsv, dev.tsv and test.tsv here (seeded, so identical every time).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '@parley/text';

/** `n` lines `source<TAB>target` with lengths 1..maxLength over the integers 0..vocab-1. */
export function reversePairs(n: number, seed: number, maxLength = 15, vocab = 50): string[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const len = 1 + Math.floor(r() * maxLength);
    const seq = Array.from({ length: len }, () => String(Math.floor(r() * vocab)));
    return `${seq.join(' ')}\t${[...seq].reverse().join(' ')}`;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  for (const [name, n, seed] of [
    ['train', 10000, 1],
    ['dev', 200, 2],
    ['test', 200, 3],
  ] as const) {
    writeFileSync(`${dir}${name}.tsv`, reversePairs(n, seed).join('\n') + '\n');
  }
}
