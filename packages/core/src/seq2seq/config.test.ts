import { describe, expect, it } from 'vitest';
import { portableConfig, resolveConfig } from './config';

const raw = {
  kind: 'seq2seq',
  modelDir: '../runs/pt-en',
  data: { train: [{ path: '${shared}/corpora/por-eng/pairs.tsv', source: 2, target: 1 }], split: { path: 'data/extra.tsv' } },
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
    expect(() => resolveConfig({ ...raw, training: { learningRate: 1 } }, 'x.yaml', '/s')).toThrow('x.yaml: unknown option training.learningRate');
    expect(() => resolveConfig({ ...raw, data: { train: [] } }, 'x.yaml', '/s')).toThrow('x.yaml: data.train must list at least one pair file');
    expect(resolveConfig({ ...raw, data: { split: { path: 'a.tsv' } } }, 'x.yaml', '/s').data.train).toEqual([]); // fine-tuning on a split's rest only
    expect(() => resolveConfig({ ...raw, training: { initFrom: 3 } }, 'x.yaml', '/s')).toThrow('x.yaml: training.initFrom must be a model directory path');
  });
});
