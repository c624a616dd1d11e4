// Word vectors trained on ../shared/corpora/text/gutenberg.txt (1M words, NLTK's Gutenberg selection)
// put related common words together. A small fast config (50 dims, 3 epochs, hard subsampling: about
// 40 s of CPU): numbers, colours, family words and Austen's heroines find each other. Day names are
// too rare here to test (13 Mondays, 8 Fridays in the corpus).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEmbeddingsDir, loadTrainingConfig, trainEmbeddings } from '@parley/core';
import { nearestWords } from '@parley/text';
import { SHARED_DIR, skipReason } from './support/shared';

const CORPUS = 'corpora/text/gutenberg.txt';
const skip = skipReason(CORPUS);
const dir = mkdtempSync(join(tmpdir(), 'parley-gutenberg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(skip)('skip-gram vectors on gutenberg.txt', () => {
  it('puts numbers, colours, family words and Austen heroines near each other', async () => {
    writeFileSync(
      join(dir, 'small.yaml'),
      [
        'kind: embeddings',
        'data: { corpus: "${shared}/corpora/text/gutenberg.txt", minCount: 5 }',
        'model: { dim: 50, window: 5, negative: 5, sample: 0.0001 }',
        'training: { epochs: 3, lr: 0.025, seed: 1, logEvery: 1000000 }',
        'output: { dir: model }',
        '',
      ].join('\n'),
    );
    const config = loadTrainingConfig(join(dir, 'small.yaml'), SHARED_DIR);
    if (config.kind !== 'embeddings') throw new Error('expected an embeddings config');
    await trainEmbeddings(config);
    const v = await loadEmbeddingsDir(join(dir, 'model'));
    const near = (word: string) => nearestWords(v, word, 10).map((n) => n.word);
    const expectSome = (word: string, related: string[]) =>
      expect(
        near(word).filter((w) => related.includes(w)),
        `${word}: ${near(word).join(' ')}`,
      ).not.toHaveLength(0);
    expectSome('three', ['two', 'four', 'five', 'six']);
    expectSome('red', ['black', 'white', 'green', 'yellow', 'blue']);
    expectSome('mother', ['father', 'daughter', 'wife', 'sister', 'aunt']);
    expectSome('emma', ['harriet', 'elinor', 'anne', 'jane', 'marianne']);
    expectSome('sea', ['sky', 'water', 'ocean', 'waves', 'ships']);
  }, 1_800_000);
});
