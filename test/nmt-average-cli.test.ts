// `parley average`: checkpoints of one run averaged into a model directory that `parley translate` loads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { readManifest, resolveModelConfig, saveSeq2seq, Seq2seqModel } from '@parley/core';
import { WordTokenizer } from '@parley/text';
import { REPO_ROOT } from './support/shared';
import { spawnSyncFileStderr } from './support/spawn-sync';

let dir = '';
beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'parley-average-'));
  const tok = WordTokenizer.train(['o gato come peixe', 'the cat eats fish'], {
    maxTokens: 50,
    standardize: 'none',
    normalization: 'NFC',
  });
  for (const seed of [1, 2]) {
    const m = new Seq2seqModel(
      resolveModelConfig({
        vocabSize: tok.vocabSize,
        encoder: { embeddingDim: 8, hiddenSize: 8 },
        decoder: { embeddingDim: 8, hiddenSize: 8 },
      }),
      seed,
    );
    saveSeq2seq(join(dir, 'run', 'checkpoints', `best-${seed * 100}`), m, tok);
    m.dispose();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parley(args: string[], input?: string) {
  return spawnSyncFileStderr(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'apps/parley/src/cli.tsx'), ...args],
    {
      input,
      encoding: 'utf8',
      cwd: REPO_ROOT,
      timeout: 120_000,
    },
  );
}

describe('parley average', () => {
  it("averages a run's best checkpoints into a model that translates", () => {
    const out = join(dir, 'averaged');
    const r = parley(['average', '--best', join(dir, 'run'), '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('averaged 2 checkpoints');
    expect(readManifest(out).weights.dtype).toBe('float16');
    const t = parley(['translate', '--model', out, '--beam', '2'], 'o gato\n\ncome\n');
    expect(t.status).toBe(0);
    expect(t.stdout.split('\n').length).toBe(4); // three lines in, three out
  }, 600_000);

  it('explains what is missing with exit code 2, and a missing directory with 1', () => {
    const r = parley(['average', join(dir, 'run', 'checkpoints', 'best-100')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('missing -o OUT');
    const m = parley(['average', '-o', join(dir, 'x'), join(dir, 'nope')]);
    expect(m.status).toBe(1);
    expect(m.stderr).toContain(`${join(dir, 'nope')}: no such model directory`);
  }, 600_000);
});
