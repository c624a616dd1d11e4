import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, portableConfig, resolveConfig } from './config';

const raw = {
  kind: 'seq2seq',
  modelDir: '../runs/pt-en',
  data: {
    train: [{ path: '${shared}/corpora/por-eng/pairs.tsv', source: 2, target: 1 }],
    split: { path: 'data/extra.tsv' },
  },
  training: { initFrom: '../runs/pt-en-all' },
};

describe('seq2seq config', () => {
  it('resolves paths against the config file and the shared directory', () => {
    const cfg = resolveConfig(raw, '/home/u/parley/configs/pt-en.yaml', '/data/shared');
    expect(cfg.data.train[0]!.path).toBe('/data/shared/corpora/por-eng/pairs.tsv');
    expect(cfg.data.split!.path).toBe('/home/u/parley/configs/data/extra.tsv');
    expect(cfg.modelDir).toBe('/home/u/parley/runs/pt-en');
    expect(cfg.training.initFrom).toBe('/home/u/parley/runs/pt-en-all');
  });

  it('stores no absolute path of this machine in the copy kept in a model manifest', () => {
    const stored = portableConfig(resolveConfig(raw, '/home/u/parley/configs/pt-en.yaml', '/data/shared'));
    const text = JSON.stringify(stored);
    expect(text).not.toContain('/home/u');
    expect(text).not.toContain('/data/shared');
    expect(stored).toMatchObject({
      modelDir: '../runs/pt-en',
      data: { train: [{ path: '${shared}/corpora/por-eng/pairs.tsv' }], split: { path: 'data/extra.tsv' } },
      training: { initFrom: '../runs/pt-en-all' },
    });
    expect(stored).not.toHaveProperty('origin');
  });

  it('names the file and the option it does not know', () => {
    expect(() => resolveConfig({ ...raw, training: { learningRate: 1 } }, 'x.yaml', '/s')).toThrow(
      'x.yaml: training.learningRate: unknown key (known: ',
    );
    expect(() => resolveConfig({ ...raw, data: { train: [] } }, 'x.yaml', '/s')).toThrow(
      'x.yaml: data.train: must list at least one pair file',
    );
    expect(resolveConfig({ ...raw, data: { split: { path: 'a.tsv' } } }, 'x.yaml', '/s').data.train).toEqual([]); // fine-tuning on a split's rest only
    expect(() => resolveConfig({ ...raw, training: { initFrom: 3 } }, 'x.yaml', '/s')).toThrow(
      'x.yaml: training.initFrom: must be a path, got 3',
    );
  });

  it('rejects typos, wrong types and out-of-range values at any level, as file:line: key: problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-config-'));
    const file = join(dir, 'c.yaml');
    const load = (yaml: string) => {
      writeFileSync(file, yaml);
      return () => loadConfig(file, '/s');
    };
    const base = 'kind: seq2seq\ndata:\n  train: [a.tsv]\n  dev: b.tsv\n';
    expect(load(`${base}trainig:\n  maxUpdates: 10\n`)).toThrow(
      `${file}:5: trainig: unknown key (did you mean training?)`,
    );
    expect(load(`${base}model:\n  encoder:\n    hiden_size: 64\n`)).toThrow(
      `${file}:7: model.encoder.hiden_size: unknown key (did you mean hiddenSize?)`,
    );
    expect(load(`${base}training:\n  lr: fast\n`)).toThrow(`${file}:6: training.lr: must be a number ≥ 0, got "fast"`);
    expect(load(`${base}testing:\n  beamSize: -3\n`)).toThrow(
      `${file}:6: testing.beamSize: must be an integer ≥ 1, got -3`,
    );
    expect(load(`kind: seq2seq\ndata:\n  train: [{ path: a.tsv, sourse: 2 }]\n  dev: b.tsv\n`)).toThrow(
      `${file}:3: data.train[0].sourse: unknown key (did you mean source?)`,
    );
    expect(load(`${base}tokenizer: { type: bep }\n`)).toThrow(
      `${file}:5: tokenizer.type: must be one of bpe, word, char, got "bep" (did you mean bpe?)`,
    );
    // The one placeholder and path rule: ${shared} (also the older ${PARLEY_SHARED}) and relative to the config file.
    const cfg = loadConfig(
      (writeFileSync(file, 'kind: seq2seq\ndata:\n  train: ["${PARLEY_SHARED}/p.tsv"]\n  dev: dev.tsv\n'), file),
      '/s',
    );
    expect(cfg.data.train[0]!.path).toBe('/s/p.tsv');
    expect(cfg.data.dev!.path).toBe(join(dir, 'dev.tsv'));
  });
});
