// `npm run bench -- classify [--runs N] [--texts N]`: text-classifier speed in examples/s — TF-IDF + naive Bayes
// training (fit) and inference, and a bidirectional LSTM's training updates and inference, on rt-polarity
// sentences (../shared) or, without it, on generated sentences of the same length. Medians of several runs;
// the BiLSTM rows carry their ratio to the naive Bayes baseline measured in the same run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@parley/engine';
import { WordTokenizer } from '@parley/text';
import { Adam, NaiveBayes, NeuralClassifierNet, padBatch, Tfidf, TextClassifier } from '@parley/core';
import * as tf from '@tensorflow/tfjs';
import type { Measurement } from './lib';
import { runsOption, suiteArgs, suiteSpec, timeMedian } from './lib';

function texts(n: number): { text: string; label: number }[] {
  const shared = join(process.env.PARLEY_SHARED ?? '../shared', 'corpora/classification/rt-polarity.tsv');
  if (existsSync(shared)) {
    const rows = readFileSync(shared, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    return Array.from({ length: n }, (_, i) => rows[(i * 7919) % rows.length]!).map(([l, t]) => ({
      text: t!,
      label: l === 'pos' ? 1 : 0,
    }));
  }
  const words = 'the film was a great story with some boring scenes and an awful ending but wonderful music'.split(' ');
  return Array.from({ length: n }, (_, i) => ({
    text: Array.from({ length: 20 }, (_, j) => words[(i * 31 + j * 7) % words.length]).join(' '),
    label: i % 2,
  }));
}

/** The suite's command line (`npm run bench -- classify --help`). */
export const CLASSIFY_ARGS = suiteSpec(
  'classify',
  'Text-classifier speed in examples/s: TF-IDF + naive Bayes and a BiLSTM, training and inference.',
  {
    runs: runsOption(3),
    texts: { type: 'int', min: 1, default: 5000, help: 'texts trained and classified per run' },
  },
);

export async function run(args: string[]): Promise<Measurement[]> {
  const {
    opts: { runs, texts: n },
  } = suiteArgs(CLASSIFY_ARGS, args);
  const backend = (await initBackend()).name;
  const data = texts(n);
  const out: Measurement[] = [];
  const opts = {
    analyzer: 'word' as const,
    ngrams: [1, 2] as [number, number],
    lowercase: true,
    sublinearTf: true,
    minDf: 1,
  };

  process.stderr.write(`naive Bayes on ${n} texts…\n`);
  let nb: TextClassifier | undefined;
  const nbTrain = await timeMedian(() => {
    const tfidf = Tfidf.fit(
      data.map((d) => d.text),
      opts,
    );
    const model = NaiveBayes.fit(
      data.map((d) => tfidf.transform(d.text)),
      data.map((d) => [d.label]),
      2,
      tfidf.size,
      { alpha: 1, multiLabel: false },
    );
    nb = new TextClassifier({ labels: ['neg', 'pos'], multiLabel: false, threshold: 0.5 }, { tfidf, model }, undefined);
  }, runs);
  const nbInfer = await timeMedian(() => nb!.predict(data.map((d) => d.text)), runs);
  out.push({ suite: 'classify', case: 'nb-train', backend: 'js', examplesPerSec: n / nbTrain });
  out.push({ suite: 'classify', case: 'nb-infer', backend: 'js', examplesPerSec: n / nbInfer });

  process.stderr.write(`BiLSTM 64 (embedding 64, ≤ 50 tokens) on ${backend}…\n`);
  const tok = WordTokenizer.train(
    data.map((d) => d.text),
    { maxTokens: 10000 },
  );
  const ids = data.map((d) => tok.encode(d.text).slice(0, 50));
  const net = new NeuralClassifierNet(
    {
      type: 'lstm',
      vocabSize: tok.vocabSize,
      outputs: 2,
      multiLabel: false,
      embeddingDim: 64,
      hidden: 64,
      layers: 1,
      bidirectional: true,
      pooling: 'last',
      kernelSizes: [3],
      dropout: 0.3,
    },
    1,
  );
  const adam = new Adam(net.vars, { lr: 0.002 });
  const batch = 32;
  const steps = 20;
  let step = 0;
  const trainSecs = await timeMedian(() => {
    for (let s = 0; s < steps; s++, step++) {
      const from = (step * batch) % (n - batch);
      const b = padBatch(ids.slice(from, from + batch), 50, 1);
      const targets = tf.tensor1d(
        data.slice(from, from + batch).map((d) => d.label),
        'int32',
      );
      const w = tf.ones([batch]) as tf.Tensor1D;
      const r = net.lossAndGrads(b, targets, w, step);
      adam.apply(r.grads);
      tf.dispose([r.grads, b.ids, b.mask, targets, w] as unknown as tf.Tensor[]);
    }
  }, runs);
  const bilstm = new TextClassifier({ labels: ['neg', 'pos'], multiLabel: false, threshold: 0.5 }, undefined, {
    net,
    tokenizer: tok,
    maxLength: 50,
  });
  const inferSecs = await timeMedian(() => bilstm.predictIds(ids), runs);
  const trainRate = (steps * batch) / trainSecs;
  const inferRate = n / inferSecs;
  out.push({
    suite: 'classify',
    case: 'bilstm-train',
    backend,
    examplesPerSec: trainRate,
    vsNb: trainRate / (n / nbTrain),
  });
  out.push({
    suite: 'classify',
    case: 'bilstm-infer',
    backend,
    examplesPerSec: inferRate,
    vsNb: inferRate / (n / nbInfer),
  });
  adam.dispose();
  net.dispose();
  return out;
}
