import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nearestWords, readWordVectors, seededRandom } from '@parley/text';
import {
  formatProgressEvent,
  loadEmbeddingsConfig,
  loadEmbeddingsDir,
  readEmbeddingsCorpus,
  resolveEmbeddingsConfig,
  trainEmbeddings,
  unigramTable,
  type ProgressEvent,
} from '../index';

const dir = mkdtempSync(join(tmpdir(), 'parley-emb-'));

/** Lines about either animals or weather, never both: each topic's words share contexts. */
function topicCorpus(path: string, lines = 1500): void {
  const topics = [
    ['cat', 'dog', 'cow', 'horse', 'sheep', 'barn', 'field', 'eats', 'grass', 'farm'],
    ['rain', 'snow', 'wind', 'storm', 'cloud', 'cold', 'sky', 'falls', 'grey', 'winter'],
  ];
  const rand = seededRandom(7);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const t = topics[i % 2]!;
    out.push(Array.from({ length: 12 }, () => t[Math.floor(rand() * t.length)]!).join(' '));
  }
  writeFileSync(path, out.join('\n') + '\n');
}

const config = (over: Record<string, unknown> = {}) =>
  resolveEmbeddingsConfig(
    {
      kind: 'embeddings',
      data: { corpus: 'topics.txt', minCount: 2 },
      model: { dim: 16, window: 3, negative: 4, sample: 0 },
      training: { epochs: 3, seed: 5, logEvery: 5000 },
      output: { dir: 'model' },
      ...over,
    },
    join(dir, 'emb.yaml'),
    '/shared',
  );

describe('skip-gram embeddings', () => {
  topicCorpus(join(dir, 'topics.txt'));

  it('learns that words sharing contexts are near, writes a loadable model directory and the word2vec file, and is seeded', async () => {
    const events: ProgressEvent[] = [];
    const r = await trainEmbeddings(config(), { onEvent: (e) => events.push(e) });
    expect(events[0]).toMatchObject({
      type: 'log',
      line: 'data: vocabulary 20 words, 18,000 training words in 1,500 lines (0 rare words dropped); 640 parameters',
    });
    expect(events[1]).toMatchObject({ type: 'start', stepsPerEpoch: 18000, totalSteps: 54000, totalEpochs: 3 });
    const steps = events.filter((e) => e.type === 'step');
    expect(steps.length).toBeGreaterThan(3);
    expect(steps.at(-1)).toMatchObject({ step: 54000, epoch: 2, epochStep: 18000, unit: 'words' });
    expect(steps.at(-1)!.loss).toBeLessThan(steps[0]!.loss);
    expect(events.at(-1)).toEqual({ type: 'done', reason: 'finished', step: 54000, why: 'reached 3 epochs' });
    expect(r.stopReason).toBe('reached 3 epochs');
    // train.log is the same events, formatted in one place (and time-stamped).
    const logged = readFileSync(join(dir, 'model', 'train.log'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/^\S+ /, ''));
    expect(logged).toEqual(events.map(formatProgressEvent));

    const v = await loadEmbeddingsDir(join(dir, 'model'));
    expect(v.words).toEqual(r.vectors.words);
    expect(v.data).toEqual(r.vectors.data);
    for (const w of ['cat', 'horse', 'rain', 'winter']) {
      const group = ['cat', 'horse'].includes(w)
        ? ['cat', 'dog', 'cow', 'horse', 'sheep', 'barn', 'field', 'eats', 'grass', 'farm']
        : ['rain', 'snow', 'wind', 'storm', 'cloud', 'cold', 'sky', 'falls', 'grey', 'winter'];
      expect(
        nearestWords(v, w, 5).every((n) => group.includes(n.word)),
        w,
      ).toBe(true);
    }
    const text = await readWordVectors(join(dir, 'model', 'vectors.txt'));
    expect(text.words).toEqual(v.words);
    expect(text.data[0]).toBeCloseTo(v.data[0]!, 5);
    const manifest = JSON.parse(readFileSync(join(dir, 'model', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: 'parley-model',
      kind: 'embeddings',
      architecture: { layout: 1, dim: 16, vocabSize: 20 },
    });

    const again = await trainEmbeddings(config({ output: { dir: 'model2' } }));
    expect(again.vectors.data).toEqual(r.vectors.data);
  });

  it('stops on request with the vectors so far, and refuses a directory it did not write', async () => {
    const controller = new AbortController();
    const r = await trainEmbeddings(config({ output: { dir: 'stopped' } }), {
      signal: controller.signal,
      onEvent: (e) => e.type === 'step' && controller.abort(),
    });
    expect(r.words).toBeLessThan(54000);
    expect(r.stopReason).toBe('stopped on request');
    expect(JSON.parse(readFileSync(join(dir, 'stopped', 'manifest.json'), 'utf8')).training.finished).toBe(false);
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other', 'notes.txt'), 'mine');
    await expect(trainEmbeddings(config({ output: { dir: 'other' } }))).rejects.toThrow(
      /other: holds 1 file Parley did not write/,
    );
    expect(readdirSync(join(dir, 'other'))).toEqual(['notes.txt']);
  });

  it('drops words below minCount and keeps lines apart; the noise table follows count^0.75', async () => {
    writeFileSync(join(dir, 'small.txt'), 'a b a\n\nb c a\n');
    const c = await readEmbeddingsCorpus(join(dir, 'small.txt'), 'lower_and_strip_punctuation', 2);
    expect(c.words).toEqual(['a', 'b']);
    expect([...c.ids]).toEqual([0, 1, 0, 1, 0]);
    expect([...c.lineStarts]).toEqual([0, 3, 5]);
    expect(c.droppedWords).toBe(1);
    const t = unigramTable(Int32Array.from([16, 1]), 10000);
    const share = t.filter((w) => w === 0).length / t.length;
    expect(share).toBeCloseTo(8 / 9, 2); // 16^0.75 = 8
  });

  it('names the config file and the option in config errors', () => {
    expect(() => config({ model: { dim: 0 } })).toThrow(/emb\.yaml: model\.dim: must be an integer ≥ 1, got 0/);
    expect(() => config({ model: { windw: 3 } })).toThrow(
      /emb\.yaml: model\.windw: unknown key \(did you mean window\?\)/,
    );
    expect(() => config({ data: {} })).toThrow(/emb\.yaml: data\.corpus: is required/);
    expect(config({ data: { corpus: '${shared}/corpora/text/gutenberg.txt' } }).data.corpus).toBe(
      '/shared/corpora/text/gutenberg.txt',
    );
  });

  it('a config file with a typo or an out-of-range value says file:line: key: problem', () => {
    const write = (name: string, body: string) => {
      writeFileSync(join(dir, name), `kind: embeddings\ndata:\n  corpus: topics.txt\n${body}`);
      return join(dir, name);
    };
    expect(() => loadEmbeddingsConfig(write('typo.yaml', 'training:\n  epocs: 2\n'), '/shared')).toThrow(
      /typo\.yaml:5: training\.epocs: unknown key \(did you mean epochs\?\)/,
    );
    expect(() => loadEmbeddingsConfig(write('range.yaml', 'model:\n  dim: 100\n  sample: -1\n'), '/shared')).toThrow(
      /range\.yaml:6: model\.sample: must be a number ≥ 0, got -1/,
    );
    const ok = loadEmbeddingsConfig(write('ok.yaml', ''), '/shared');
    expect([ok.name, ok.data.corpus, ok.output.dir]).toEqual(['ok', join(dir, 'topics.txt'), join(dir, 'runs', 'ok')]);
  });
});
