// `parley test <config>`: scores a model on its config's dev and test sets, with sacreBLEU signatures; --record
// stores the scores in the model's manifest for `parley info` and the model card.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { readManifest, resolveModelConfig, saveSeq2seq, Seq2seqModel } from '@parley/core';
import { WordTokenizer } from '@parley/text';
import { REPO_ROOT } from './support/shared';

let dir = '';
beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'parley-test-cli-'));
  writeFileSync(join(dir, 'dev.tsv'), 'the cat\to gato\nthe fish\to peixe\n');
  writeFileSync(join(dir, 'test.tsv'), 'the cat eats\to gato come\n');
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      'kind: seq2seq',
      'modelDir: model',
      'data:',
      '  train: [dev.tsv]',
      '  dev: { path: dev.tsv, source: 2, target: 1 }',
      '  test: { path: test.tsv, source: 2, target: 1 }',
      '',
    ].join('\n'),
  );
  const tok = WordTokenizer.train(['o gato come peixe', 'the cat eats fish'], {
    maxTokens: 50,
    standardize: 'none',
    normalization: 'NFC',
  });
  const m = new Seq2seqModel(
    resolveModelConfig({
      vocabSize: tok.vocabSize,
      encoder: { embeddingDim: 8, hiddenSize: 8 },
      decoder: { embeddingDim: 8, hiddenSize: 8 },
    }),
    3,
  );
  saveSeq2seq(join(dir, 'model'), m, tok, { metrics: { dev: { bleu: 1.5, step: 10 } } });
  m.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parley = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'apps/parley/src/cli.tsx'), 'test', ...args], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    timeout: 120_000,
  });

describe('parley test', () => {
  it('scores dev and test with greedy and beam search, and --record keeps the scores in the manifest', () => {
    const r = parley([join(dir, 'config.yaml'), '--greedy', '--beam', '2', '--json', '--record']);
    expect(r.status).toBe(0);
    const scores = JSON.parse(r.stdout) as {
      set: string;
      decoding: string;
      sentences: number;
      bleu: number;
      bleuSignature: string;
    }[];
    expect(scores.map((s) => `${s.set}/${s.decoding}/${s.sentences}`)).toEqual([
      'dev/greedy/2',
      'dev/beam2/2',
      'test/greedy/1',
      'test/beam2/1',
    ]);
    expect(scores[0]!.bleuSignature).toBe('nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0');
    const metrics = readManifest(join(dir, 'model')).metrics as Record<string, Record<string, unknown>>;
    expect(metrics.test!.beam2).toMatchObject({
      sentences: 1,
      bleu: scores[3]!.bleu,
      bleuSignature: 'BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0',
    });
    expect(metrics.dev).toMatchObject({ bleu: 1.5, step: 10, greedy: { bleu: scores[0]!.bleu } }); // training's own dev metrics stay
  });

  it('refuses an unknown option with the usage and exit code 2', () => {
    const r = parley([join(dir, 'config.yaml'), '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('parley test: unknown option --bogus');
  });
});
