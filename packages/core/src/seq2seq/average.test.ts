import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { averageSeq2seq } from './average';
import { loadSeq2seq, saveSeq2seq } from './io';
import { Seq2seqModel } from './model';
import { resolveModelConfig } from './model-config';
import { WordTokenizer } from '@parley/text';

const root = mkdtempSync(join(tmpdir(), 'parley-avg-'));
beforeAll(async () => {
  await initBackend();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tok = WordTokenizer.train(['a b c d e f g h'], { maxTokens: 12, standardize: 'none', normalization: 'NFC' });
function saved(name: string, seed: number, hidden = 8): string {
  const cfg = resolveModelConfig({
    vocabSize: tok.vocabSize,
    encoder: { hiddenSize: hidden, embeddingDim: 8 },
    decoder: { hiddenSize: 8, embeddingDim: 8 },
  });
  const m = new Seq2seqModel(cfg, seed);
  saveSeq2seq(join(root, name), m, tok, { name: 'tiny' });
  m.dispose();
  return join(root, name);
}

describe('checkpoint averaging', () => {
  it('writes the element-wise mean of the weights, loadable like any model', async () => {
    const dirs = [saved('s1', 1), saved('s2', 2), saved('s3', 3)];
    await averageSeq2seq(dirs, join(root, 'avg'), { dtype: 'float32' });
    const models = await Promise.all(dirs.map(loadSeq2seq));
    const avg = await loadSeq2seq(join(root, 'avg'));
    expect(avg.manifest.training).toMatchObject({ averagedFrom: dirs });
    expect(avg.tokenizer.encode('a b c')).toEqual(tok.encode('a b c'));
    let differing = 0;
    for (const [k, v] of Object.entries(avg.model.vars)) {
      const got = v.dataSync();
      const parts = models.map((m) => m.model.vars[k]!.dataSync());
      if (parts[0]!.some((x, i) => x !== parts[1]![i])) differing++;
      for (let i = 0; i < got.length; i += 7)
        expect(got[i]).toBeCloseTo((parts[0]![i]! + parts[1]![i]! + parts[2]![i]!) / 3, 6);
    }
    expect(differing).toBeGreaterThan(5); // the seeds give different weights, so the mean is a real mean
    [...models, avg].forEach((m) => m.model.dispose());
  });

  it('refuses checkpoints of a different architecture, naming the directory', async () => {
    const other = saved('wide', 4, 16);
    await expect(averageSeq2seq([saved('s4', 1), other], join(root, 'bad'))).rejects.toThrow(
      `${other}/manifest.json: architecture differs`,
    );
  });
});
