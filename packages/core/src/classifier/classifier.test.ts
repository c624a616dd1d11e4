// Text classifiers: scikit-learn-compatible TF-IDF and naive Bayes, NumPy's permutation, splits, configs with
// bad input, and real (small) training of every model type with save/load and resume.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import {
  analyze,
  crossValidate,
  loadClassifier,
  loadClassifierData,
  multiLabelScores,
  singleLabelScores,
  NaiveBayes,
  NeuralClassifierNet,
  numpyPermutation,
  resolveClassifierConfig,
  loadClassifierConfig,
  stratifiedFolds,
  stratifiedSplit,
  Tfidf,
  trainClassifier,
  type ClassifierConfig,
  type LabeledText,
  type NeuralArchitecture,
  type ProgressEvent,
} from '../index';

let dir: string;

/** A small two-class corpus whose label is carried by one word among noise words, in random positions. */
function sentimentCorpus(n: number, seed = 7): string {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const noise = ['the', 'movie', 'plot', 'actor', 'scene', 'was', 'really', 'quite', 'story', 'film', 'music', 'and'];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const pos = i % 2 === 0;
    const words = Array.from({ length: 4 + Math.floor(rand() * 6) }, () => noise[Math.floor(rand() * noise.length)]!);
    words.splice(
      Math.floor(rand() * words.length),
      0,
      pos ? (rand() < 0.5 ? 'great' : 'wonderful') : rand() < 0.5 ? 'awful' : 'boring',
    );
    lines.push(`${pos ? 'pos' : 'neg'}\t${words.join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

function config(over: Record<string, unknown>, name = 'c'): ClassifierConfig {
  return resolveClassifierConfig(
    {
      kind: 'classifier',
      name,
      modelDir: join(dir, name),
      data: { file: join(dir, 'sent.tsv'), dev: 0.2, test: 0.2 },
      ...over,
    },
    join(dir, `${name}.yaml`),
    dir,
  );
}

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'parley-classifier-'));
  writeFileSync(join(dir, 'sent.tsv'), sentimentCorpus(400));
});

describe('TF-IDF analyzers as scikit-learn', () => {
  it('word: tokens of two or more word characters, lowercased, n-grams joined by a space', () => {
    expect(analyze('A cat-sat on_the MAT!', { analyzer: 'word', ngrams: [1, 2], lowercase: true })).toEqual([
      'cat',
      'sat',
      'on_the',
      'mat',
      'cat sat',
      'sat on_the',
      'on_the mat',
    ]);
  });
  it('char_wb: padded words, a short word counted once (scikit-learn docs example)', () => {
    expect(analyze('a bc', { analyzer: 'char_wb', ngrams: [3, 3], lowercase: true })).toEqual([' a ', ' bc', 'bc ']);
    expect(analyze('ab', { analyzer: 'char_wb', ngrams: [2, 5], lowercase: false })).toEqual([
      ' a',
      'ab',
      'b ',
      ' ab',
      'ab ',
      ' ab ',
    ]);
  });
  it('char: n-grams over the text with whitespace runs collapsed', () => {
    expect(analyze('ab  c', { analyzer: 'char', ngrams: [2, 2], lowercase: true })).toEqual(['ab', 'b ', ' c']);
  });
  it('idf is smooth (ln((1+n)/(1+df)) + 1) and vectors are L2-normalised', () => {
    const t = Tfidf.fit(['aa bb', 'aa cc', 'aa'], {
      analyzer: 'word',
      ngrams: [1, 1],
      lowercase: true,
      sublinearTf: false,
      minDf: 1,
    });
    expect(t.terms).toEqual(['aa', 'bb', 'cc']);
    expect(t.idf[0]).toBeCloseTo(1, 12);
    expect(t.idf[1]).toBeCloseTo(Math.log(4 / 2) + 1, 12);
    const v = t.transform('aa aa bb zz');
    const raw = [2, Math.log(2) + 1];
    const norm = Math.hypot(...raw);
    expect(Array.from(v.ids)).toEqual([0, 1]);
    expect(v.values[0]).toBeCloseTo(raw[0]! / norm, 12);
    expect(v.values[1]).toBeCloseTo(raw[1]! / norm, 12);
    expect(
      Tfidf.fit(['aa bb', 'aa cc', 'aa'], {
        analyzer: 'word',
        ngrams: [1, 1],
        lowercase: true,
        sublinearTf: true,
        minDf: 2,
      }).terms,
    ).toEqual(['aa']);
  });
});

describe('multinomial naive Bayes', () => {
  it('matches the closed form: log priors, smoothed feature log-probabilities, softmax of joint log-likelihoods', () => {
    const x = [
      { ids: Int32Array.from([0]), values: Float64Array.from([2]) },
      { ids: Int32Array.from([0, 1]), values: Float64Array.from([1, 1]) },
      { ids: Int32Array.from([1]), values: Float64Array.from([3]) },
    ];
    const nb = NaiveBayes.fit(x, [[0], [0], [1]], 2, 2, { alpha: 1, multiLabel: false });
    // class 0 counts [3, 1] → log((c+1)/(4+2)); class 1 counts [0, 3] → log((c+1)/(3+2)); priors 2/3, 1/3
    const j0 = Math.log(2 / 3) + 1 * Math.log(4 / 6) + 1 * Math.log(2 / 6);
    const j1 = Math.log(1 / 3) + 1 * Math.log(1 / 5) + 1 * Math.log(4 / 5);
    const p = nb.predictProba({ ids: Int32Array.from([0, 1]), values: Float64Array.from([1, 1]) });
    expect(p[0]).toBeCloseTo(Math.exp(j0) / (Math.exp(j0) + Math.exp(j1)), 7); // log-probabilities are stored as float32
  });
});

describe("NumPy's RandomState permutation", () => {
  it('reproduces np.random.RandomState(42).permutation(10)', () => {
    expect(numpyPermutation(10, 42)).toEqual([8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
  });
});

describe('scores through @parley/metrics', () => {
  it('per-class, macro, micro and weighted precision/recall/F1, the confusion matrix, ROC-AUC, multi-label (hand-computed)', () => {
    const r = singleLabelScores([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 0, 2], 3);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    expect(r.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    expect(r.perClass[1]!.precision).toBeCloseTo(2 / 3, 12);
    expect(r.perClass[1]!.f1).toBeCloseTo(0.8, 12);
    expect(r.perClass[1]!.support).toBe(2);
    expect(r.macro.f1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
    expect(r.micro.f1).toBeCloseTo(4 / 6, 12);
    expect(singleLabelScores([0, 0, 1, 1], [0, 0, 0, 0], 2, [0.1, 0.4, 0.35, 0.8]).rocAuc).toBeCloseTo(0.75, 12);
    const m = multiLabelScores([[0, 1], [1], [2]], [[0], [1], [1, 2]], 3);
    expect(m.subsetAccuracy).toBeCloseTo(1 / 3, 12);
    expect(m.microF1).toBeCloseTo((2 * 3) / (2 * 3 + 1 + 1), 12);
  });
});

describe('splits', () => {
  const items: LabeledText[] = Array.from({ length: 100 }, (_, i) => ({
    text: `t${i}`,
    labels: [i < 80 ? 0 : 1],
    line: i + 1,
  }));
  it('stratified split keeps class proportions and is seeded', () => {
    const s = stratifiedSplit(items, 0.1, 0.2, 3);
    expect([s.train.length, s.dev.length, s.test.length]).toEqual([70, 10, 20]);
    expect(s.test.filter((x) => x.labels[0] === 1).length).toBe(4);
    expect(stratifiedSplit(items, 0.1, 0.2, 3).test).toEqual(s.test);
    expect(stratifiedSplit(items, 0.1, 0.2, 4).test).not.toEqual(s.test);
  });
  it('folds partition the data with the minority class spread evenly', () => {
    const folds = stratifiedFolds(items, 10, 1);
    expect(
      folds
        .flat()
        .map((x) => x.line)
        .sort((a, b) => a - b),
    ).toEqual(items.map((x) => x.line));
    for (const f of folds) expect(f.filter((x) => x.labels[0] === 1).length).toBe(2);
  });
});

describe('bad input', () => {
  it('config errors name the file and the option', () => {
    expect(() => config({ model: { type: 'svm' } })).toThrow(/c\.yaml: model\.type: must be one of naive-bayes, /);
    expect(() => config({ training: { epochs: 'ten' } })).toThrow(
      /training\.epochs: must be an integer ≥ 1, got "ten"/,
    );
    expect(() => config({ model: { colour: 1 } })).toThrow(/model\.colour: unknown key \(known: /);
    expect(() => config({ data: { file: 'x.tsv', dev: 1.5 } })).toThrow(
      /data\.dev: must be a fraction below 1 or a whole count/,
    );
    expect(() => config({ training: { classWeights: { pos: -1 } } })).toThrow(
      /training\.classWeights\.pos: must be a number > 0/,
    );
  });
  it('a config file with a typo or an out-of-range value says file:line: key: problem', () => {
    const write = (name: string, body: string) => {
      writeFileSync(join(dir, name), `kind: classifier\ndata:\n  file: sent.tsv\n${body}`);
      return join(dir, name);
    };
    expect(() => loadClassifierConfig(write('typo.yaml', 'model:\n  type: lstm\n  hiden: 32\n'), dir)).toThrow(
      /typo\.yaml:6: model\.hiden: unknown key \(did you mean hidden\?\)/,
    );
    expect(() => loadClassifierConfig(write('top.yaml', 'traning:\n  epochs: 2\n'), dir)).toThrow(
      /top\.yaml:4: traning: unknown key \(did you mean training\?\)/,
    );
    expect(() => loadClassifierConfig(write('range.yaml', 'model:\n  dropout: 1.5\n'), dir)).toThrow(
      /range\.yaml:5: model\.dropout: must be a number ≥ 0 and < 1, got 1\.5/,
    );
    const ok = loadClassifierConfig(write('ok.yaml', 'model:\n  pretrained: ${shared}/glove.txt\n'), '/data');
    expect(ok.data.file).toBe(join(dir, 'sent.tsv'));
    expect(ok.model.pretrained).toBe('/data/glove.txt');
    expect(ok.modelDir).toBe(join(dir, 'runs', 'ok'));
    expect(ok.training.metric).toBe('accuracy');
  });
  it('a data line without a text names file:line', async () => {
    writeFileSync(join(dir, 'bad.tsv'), 'pos\tgood film\nneg\n');
    await expect(loadClassifierData({ ...config({}).data, file: join(dir, 'bad.tsv') })).rejects.toThrow(
      /bad\.tsv:2: wrong column count/,
    );
  });
});

describe('training', () => {
  it('naive Bayes learns the corpus, saves and loads back with the same probabilities', async () => {
    const cfg = config({ model: { type: 'naive-bayes', ngrams: [1, 2] } }, 'nb');
    const r = await trainClassifier(cfg);
    expect(r.test!.kind === 'single' && r.test!.accuracy).toBeGreaterThan(0.95);
    const c = await loadClassifier(cfg.modelDir);
    expect(c.labels).toEqual(['neg', 'pos']);
    expect(c.classify(['a wonderful film', 'boring and awful'])).toEqual([[1], [0]]);
  });

  for (const model of [
    { type: 'bag', hidden: 16 },
    { type: 'lstm', hidden: 16, bidirectional: true },
    { type: 'gru', hidden: 16, layers: 2, pooling: 'max' },
    { type: 'conv', hidden: 16, kernelSizes: [2, 3] },
  ]) {
    it(`${model.type}${'bidirectional' in model ? ' (bidirectional)' : ''} trains to high dev accuracy and reloads`, async () => {
      const cfg = config(
        {
          model: { ...model, embeddingDim: 16, dropout: 0.1 },
          tokenizer: { vocabSize: 100 },
          training: { epochs: 6, batchSize: 16, lr: 0.01, earlyStopping: 0 },
          exportDtype: 'float32',
        },
        `n-${model.type}`,
      );
      const events: ProgressEvent[] = [];
      const r = await trainClassifier(cfg, { onEvent: (e) => events.push(e) });
      expect(r.dev!.kind === 'single' && r.dev!.accuracy).toBeGreaterThan(0.9);
      expect(events.filter((e) => e.type === 'validation').length).toBe(6);
      expect(events.at(-1)!.type).toBe('done');
      const c = await loadClassifier(cfg.modelDir);
      const p = c.predict(['really great story', 'the plot was awful']);
      expect(p[0]![1]).toBeGreaterThan(0.5);
      expect(p[1]![0]).toBeGreaterThan(0.5);
      c.dispose();
    });
  }

  it('the SentencePiece tokenizer: trained on the training texts, saved beside the model, reloaded with it', async () => {
    const cfg = config(
      {
        tokenizer: { type: 'sentencepiece', vocabSize: 60 },
        model: { type: 'conv', hidden: 16, embeddingDim: 16, kernelSizes: [2, 3], dropout: 0.1 },
        training: { epochs: 6, batchSize: 16, lr: 0.01, earlyStopping: 0 },
      },
      'spm',
    );
    const r = await trainClassifier(cfg);
    expect(r.dev!.kind === 'single' && r.dev!.accuracy).toBeGreaterThan(0.9);
    expect(existsSync(join(cfg.modelDir, 'tokenizer.model'))).toBe(true);
    const c = await loadClassifier(cfg.modelDir);
    expect(c.tokens('wonderful').length).toBeGreaterThan(0);
    expect(c.classify(['a really wonderful story', 'the plot was boring'])).toEqual([[1], [0]]);
    c.dispose();
  });

  it('early stopping ends the run after `earlyStopping` validations without a better dev metric', async () => {
    // lr 0: the dev metric never improves after the first validation.
    const cfg = config(
      { model: { type: 'bag', hidden: 0, embeddingDim: 8 }, training: { epochs: 10, lr: 0, earlyStopping: 2 } },
      'early',
    );
    const events: ProgressEvent[] = [];
    const r = await trainClassifier(cfg, { onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'validation')).toHaveLength(3);
    expect(r.stopReason).toBe('early stopping: no improvement in 2 validations');
    expect(r.steps).toBe(3 * Math.ceil(240 / 32));
  });

  it("a split column gives the file's own train/dev/test rows; another value names file:line", async () => {
    const rows = sentimentCorpus(100)
      .trim()
      .split('\n')
      .map((l, i) => `${l}\t${i % 10 === 0 ? 'test' : i % 10 === 1 ? 'dev' : 'train'}`);
    writeFileSync(join(dir, 'split.tsv'), rows.join('\n') + '\n');
    const data = { ...config({}).data, file: join(dir, 'split.tsv'), splitColumn: 3 };
    const d = await loadClassifierData(data);
    expect([d.train.length, d.dev.length, d.test.length]).toEqual([80, 10, 10]);
    expect(d.test.map((x) => x.line)).toEqual([1, 11, 21, 31, 41, 51, 61, 71, 81, 91]);
    writeFileSync(
      join(dir, 'split-bad.tsv'),
      rows.map((l, i) => (i === 4 ? l.replace(/train$/, 'valid') : l)).join('\n'),
    );
    await expect(loadClassifierData({ ...data, file: join(dir, 'split-bad.tsv') })).rejects.toThrow(
      /split-bad\.tsv:5: split column 3 is "valid"; expected train, dev or test/,
    );
  });

  it('pretrained vectors fill the embedding (frozen), the OOV share is recorded', async () => {
    const words = ['great', 'wonderful', 'awful', 'boring', 'the', 'movie'];
    writeFileSync(
      join(dir, 'vec.txt'),
      `${words.length} 4\n` +
        words.map((w, i) => `${w} ${[0, 1, 2, 3].map((j) => ((i * 4 + j) % 7) / 7 - 0.4).join(' ')}`).join('\n') +
        '\n',
    );
    const cfg = config(
      {
        model: { type: 'bag', hidden: 8, embeddingDim: 4, pretrained: 'vec.txt', freezeEmbeddings: true },
        training: { epochs: 2, earlyStopping: 0 },
        exportDtype: 'float32',
      },
      'pre',
    );
    await trainClassifier(cfg);
    const c = await loadClassifier(cfg.modelDir);
    const training = c.manifest!.training as { oovShare: number; oovTokenShare: number; frozen: boolean };
    expect(training.frozen).toBe(true);
    expect(training.oovShare).toBeCloseTo(1 - 6 / 16, 4); // 16 words in the vocabulary, 6 with vectors
    const table = c.neural!.net.vars.embedding!.arraySync() as number[][];
    const id = (c.neural!.tokenizer as unknown as { vocab: { id(w: string): number } }).vocab.id('wonderful');
    expect(table[id]![1]).toBeCloseTo(((1 * 4 + 1) % 7) / 7 - 0.4, 6); // frozen: still the file's vector
    c.dispose();
  });

  it("pretrainedVocabulary train+data: words first seen in dev/test texts get their vector's row; others stay unk", async () => {
    // Vectors for the training words, two words only the test texts have, a word no text has, and the label names.
    const words = ['great', 'wonderful', 'awful', 'boring', 'superb', 'dreadful', 'magnificent', 'pos', 'neg'];
    const vec = (i: number) => [0, 1, 2, 3].map((j) => ((i * 4 + j) % 11) / 11 - 0.4);
    writeFileSync(join(dir, 'vec2.txt'), words.map((w, i) => `${w} ${vec(i).join(' ')}`).join('\n') + '\n');
    const all = await loadClassifierData({ ...config({}).data, dev: 0.2, test: 0 });
    const test: LabeledText[] = [
      { text: 'a superb film', labels: [1], line: 401 },
      { text: 'dreadful zzzunseen plot', labels: [0], line: 402 },
    ];
    const data = { ...all, test };
    const model = { type: 'bag', hidden: 0, embeddingDim: 4, pretrained: 'vec2.txt', freezeEmbeddings: true };
    const run = async (pretrainedVocabulary: string | undefined, name: string) => {
      const cfg = config(
        {
          model: { ...model, ...(pretrainedVocabulary ? { pretrainedVocabulary } : {}) },
          training: { epochs: 1 },
          exportDtype: 'float32',
        },
        name,
      );
      const lines: string[] = [];
      await trainClassifier(cfg, { data, log: (l) => lines.push(l) });
      return { c: await loadClassifier(cfg.modelDir), lines };
    };
    const vocabOf = (c: Awaited<ReturnType<typeof loadClassifier>>) =>
      (c.neural!.tokenizer as unknown as { vocab: { has(w: string): boolean; id(w: string): number; size: number } })
        .vocab;

    const base = await run(undefined, 'vocab-train');
    expect(vocabOf(base.c).has('superb')).toBe(false); // the default: training words only
    const ext = await run('train+data', 'vocab-data');
    const v = vocabOf(ext.c);
    expect(v.size).toBe(vocabOf(base.c).size + 2);
    const table = ext.c.neural!.net.vars.embedding!.arraySync() as number[][];
    for (const [w, i] of [
      ['superb', 4],
      ['dreadful', 5],
    ] as const) {
      expect(v.has(w)).toBe(true);
      table[v.id(w)]!.forEach((x, j) => expect(x).toBeCloseTo(vec(i)[j]!, 6)); // frozen: the file's vector
    }
    // A test word without a vector, a vector no text uses, and the labels (never read as text) get no id.
    for (const w of ['zzzunseen', 'magnificent', 'pos', 'neg']) expect(v.has(w)).toBe(false);
    expect(ext.c.neural!.tokenizer.encode('magnificent')).toEqual([1]); // deployed: still unk
    expect((ext.c.manifest!.training as { pretrainedWordsAdded: number }).pretrainedWordsAdded).toBe(2);
    expect(ext.lines.join('\n')).toMatch(
      /pretrained vocabulary train\+data: 2 words of the data's texts outside the training vocabulary have a vector and get ids \(vocabulary 20 → 22\); unk share of the test tokens 66\.7% → 33\.3%/,
    );
    base.c.dispose();
    ext.c.dispose();
    expect(() => config({ model: { type: 'bag', pretrainedVocabulary: 'train+data' } })).toThrow(
      /c\.yaml: model\.pretrainedVocabulary: train\+data adds the words that have a pretrained vector: set model\.pretrained too/,
    );
    expect(() =>
      config({ tokenizer: { type: 'sentencepiece' }, model: { ...model, pretrainedVocabulary: 'train+data' } }),
    ).toThrow(/model\.pretrainedVocabulary: train\+data adds whole words: it needs tokenizer\.type word/);
  });

  it('embeddingDropout sets the dropout on the embedded tokens apart from the one before the output', async () => {
    const lossOf = (embeddingDropout: number | undefined, dropout: number) => {
      const arch: NeuralArchitecture = {
        ...{ type: 'bag', vocabSize: 20, outputs: 2, multiLabel: false, embeddingDim: 8, hidden: 0, layers: 1 },
        ...{ bidirectional: false, pooling: 'last', kernelSizes: [3], dropout },
        ...(embeddingDropout === undefined ? {} : { embeddingDropout }),
      };
      const net = new NeuralClassifierNet(arch, 3);
      const batch = { ids: tf.tensor2d([[5, 6, 7, 8]], [1, 4], 'int32'), mask: tf.ones([1, 4]) as tf.Tensor2D };
      const r = net.lossAndGrads(batch, tf.tensor1d([1], 'int32'), tf.ones([1]) as tf.Tensor1D, 11);
      const evalLoss = net.loss(batch, tf.tensor1d([1], 'int32'), tf.ones([1]) as tf.Tensor1D).dataSync()[0]!;
      net.dispose();
      return { train: r.loss, eval: evalLoss };
    };
    // No dropout anywhere: training and inference losses agree; embedding dropout alone makes them differ.
    const none = lossOf(0, 0);
    expect(none.train).toBeCloseTo(none.eval, 6);
    const emb = lossOf(0.5, 0);
    expect(Math.abs(emb.train - emb.eval)).toBeGreaterThan(1e-4);
    // Unset, it follows `dropout` (models saved before the option existed train and load as before).
    const follows = lossOf(undefined, 0.5);
    expect(Math.abs(follows.train - follows.eval)).toBeGreaterThan(1e-4);
  });

  it('a stopped run resumes from checkpoints/last to the same place', async () => {
    const cfg = config(
      {
        model: { type: 'bag', hidden: 0, embeddingDim: 8 },
        training: { epochs: 3, batchSize: 16, earlyStopping: 0, logEvery: 1 },
      },
      'resume',
    );
    const ctrl = new AbortController();
    let steps = 0;
    await trainClassifier(cfg, {
      signal: ctrl.signal,
      onEvent: (e) => e.type === 'step' && ++steps >= 1 && ctrl.abort(),
    });
    const events: ProgressEvent[] = [];
    const r = await trainClassifier(cfg, { onEvent: (e) => events.push(e) });
    const start = events.find((e) => e.type === 'start');
    expect(start && start.type === 'start' && start.startStep).toBeGreaterThan(0);
    expect(r.steps).toBe(3 * Math.ceil(240 / 16));
  });

  it('multi-label naive Bayes tunes its threshold on dev; 5-fold cross-validation covers every text once', async () => {
    const lines = [];
    for (let i = 0; i < 120; i++) {
      const a = i % 3 !== 0;
      const b = i % 2 === 0;
      lines.push(
        `${[a ? 'alpha' : '', b ? 'beta' : ''].filter(Boolean).join(',') || 'none'}\t${a ? 'apple apricot' : 'plain'} ${b ? 'banana berry' : 'text'} filler words`,
      );
    }
    writeFileSync(join(dir, 'multi.tsv'), lines.join('\n') + '\n');
    const cfg = resolveClassifierConfig(
      {
        kind: 'classifier',
        modelDir: join(dir, 'multi'),
        data: { file: join(dir, 'multi.tsv'), multiLabel: true, dev: 0.2, test: 0.2 },
      },
      join(dir, 'multi.yaml'),
      dir,
    );
    const r = await trainClassifier(cfg);
    expect(r.test!.kind === 'multi' && r.test!.microF1).toBeGreaterThan(0.9);
    const cv = await crossValidate(config({}, 'cv'), 5);
    expect(cv.folds.reduce((a, f) => a + f.test.texts, 0)).toBe(400);
    // More folds than texts would leave a fold with nothing to test: refused, naming the data file.
    await expect(crossValidate(config({}, 'cv-many'), 401)).rejects.toThrow(
      /^data\.file: \S+sent\.tsv has 400 labelled texts, fewer than the 401 folds$/,
    );
    expect(cv.mean).toBeGreaterThan(0.9);
  });

  it('cross-validation can run a subset of its folds, each scored as in the full run', async () => {
    const noisy = sentimentCorpus(200, 3)
      .split('\n')
      .map((l, i) => (i % 7 === 0 ? l.replace(/^pos/, 'xx').replace(/^neg/, 'pos').replace(/^xx/, 'neg') : l))
      .join('\n');
    writeFileSync(join(dir, 'noisy.tsv'), noisy);
    const cfg = (name: string) => config({ data: { file: join(dir, 'noisy.tsv') } }, name);
    const full = await crossValidate(cfg('cv-full'), 5);
    const some = await crossValidate(cfg('cv-some'), 5, { only: [4, 2] });
    expect(some.folds.map((f) => f.fold)).toEqual([2, 4]);
    expect(some.folds.map((f) => f.test)).toEqual([full.folds[1]!.test, full.folds[3]!.test]);
    const acc = some.folds.map((f) => (f.test.kind === 'single' ? f.test.accuracy : NaN));
    expect(some.mean).toBeCloseTo((acc[0]! + acc[1]!) / 2, 12);
    expect(existsSync(join(dir, 'cv-some', 'folds', '1'))).toBe(false);
    await expect(crossValidate(cfg('cv-bad'), 5, { only: [6] })).rejects.toThrow('fold 6 is not one of the folds 1..5');
  });

  it('a stop ends a cross-validation: the folds scored stay, the fold cut short is not scored, no later fold starts', async () => {
    const bag = config({ model: { type: 'bag', hidden: 0, embeddingDim: 8 }, training: { epochs: 3 } }, 'cv-stop');
    const controller = new AbortController();
    const events: string[] = [];
    const cv = await crossValidate(bag, 4, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'fold' || e.type === 'start' || e.type === 'done') events.push(e.type);
        if (e.type === 'start' && e.dir.endsWith(join('folds', '2'))) controller.abort(); // as fold 2 starts
      },
    });
    expect(cv.stopped).toBe(true);
    expect(cv.folds.map((f) => f.fold)).toEqual([1]);
    expect(events).toEqual(['start', 'done', 'fold', 'start', 'done']); // fold 2 ran no update and was not scored
    expect(cv.mean).toBe(cv.folds[0]!.test.kind === 'single' ? cv.folds[0]!.test.accuracy : NaN);
    expect(existsSync(join(bag.modelDir, 'folds', '3'))).toBe(false);
    // naive Bayes fits at once: a stop after its first fold's score starts no other fold
    const nb = new AbortController();
    const quick = await crossValidate(config({}, 'cv-stop-nb'), 4, {
      signal: nb.signal,
      onEvent: (e) => e.type === 'fold' && nb.abort(),
    });
    expect([quick.stopped, quick.folds.length]).toEqual([true, 1]);
  });

  it('cross-validates an ensemble: each fold is scored by the mean of the members’ probabilities', async () => {
    const bag = config(
      { model: { type: 'bag', hidden: 0, embeddingDim: 8 }, training: { epochs: 1, earlyStopping: 0 } },
      'ens',
    );
    const nb = config({ model: { type: 'naive-bayes' } }, 'ens-nb');
    const cv = await crossValidate(bag, 2, { ensemble: [nb] });
    const all = await loadClassifierData({ ...bag.data, dev: 0, test: 0 });
    const folds = stratifiedFolds([...all.train, ...all.dev, ...all.test], 2, bag.data.seed);
    for (const f of cv.folds) {
      expect(f.members!.map((m) => m.name)).toEqual(['ens', 'ens-nb']);
      const test = folds[f.fold - 1]!;
      const a = await loadClassifier(join(bag.modelDir, 'folds', String(f.fold)));
      const b = await loadClassifier(join(bag.modelDir, 'members', 'ens-nb', 'folds', String(f.fold)));
      const pa = a.predict(test.map((x) => x.text));
      const pb = b.predict(test.map((x) => x.text));
      const right = test.filter((x, i) => (pa[i]![1]! + pb[i]![1]! > pa[i]![0]! + pb[i]![0]! ? 1 : 0) === x.labels[0]);
      expect(f.test.kind === 'single' && f.test.accuracy).toBeCloseTo(right.length / test.length, 10);
      a.dispose();
      b.dispose();
    }
    const other = config({ model: { type: 'naive-bayes' }, data: { file: join(dir, 'multi.tsv') } }, 'ens-other');
    await expect(crossValidate(bag, 2, { ensemble: [other] })).rejects.toThrow(
      /ens-other\.yaml: an ensemble member must be a single-label classifier of the same data file/,
    );
  });
});
