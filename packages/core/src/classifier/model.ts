// A trained text classifier as `parley classify`, `parley test` and the app use it, and its model directory:
//   manifest.json   kind `classifier`: labels, multi-label thresholds, architecture, tokenizer, training, metrics
//   weights.bin     naive Bayes log-probabilities, linear weights (+ bias), or the network's weights (float32/float16/int8)
//   tfidf.json      naive Bayes and linear models: the TF-IDF vocabulary and idf weights
//   tokenizer.json / tokenizer.model   neural models: the word or SentencePiece tokenizer
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { errorMessage } from '@parley/engine/errors';
import { PAD_ID, SentencePieceTokenizer, WordTokenizer, type Tokenizer } from '@parley/text';
import {
  assignWeights,
  loadModelWeights,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  readManifest,
  saveWeights,
  writeFileAtomic,
  writeManifest,
  type JsonValue,
  type ModelManifest,
  type NamedTensors,
  type WeightDtype,
} from '../common/index';
import { LinearModel, type LinearLoss } from './linear';
import { NaiveBayes } from './naive-bayes';
import { NeuralClassifierNet, type ClassifierBatch, type NeuralArchitecture } from './neural';
import { Tfidf, type TfidfJSON } from './tfidf';

/** Version of the classifier architecture block (manifest.architecture.classifierVersion). */
export const CLASSIFIER_VERSION = 1;

type Json = { [key: string]: JsonValue };

/** What every classifier shares: its labels and how probabilities become decisions. */
export interface ClassifierHead {
  /** Label names in output order. */
  labels: string[];
  /** One sigmoid per label (any number of labels per text) instead of one softmax. */
  multiLabel: boolean;
  /** Multi-label: a label is predicted when its probability ≥ threshold (tuned on dev). */
  threshold: number;
}

/** How a neural model tokenizes: its tokenizer and the longest token sequence it reads. */
interface NeuralParts {
  net: NeuralClassifierNet;
  tokenizer: Tokenizer;
  maxLength: number;
}

/** The labels predicted from one probability row: the argmax, or every label ≥ threshold (at least the top one). */
export function decide(probs: ArrayLike<number>, head: ClassifierHead): number[] {
  let best = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i]! > probs[best]!) best = i;
  if (!head.multiLabel) return [best];
  const out: number[] = [];
  for (let i = 0; i < probs.length; i++) if (probs[i]! >= head.threshold) out.push(i);
  return out.length ? out : [best];
}

/** Pads token-id lists into a batch (ids cut to `maxLength`, padded to at least `minLength`). */
export function padBatch(seqs: readonly number[][], maxLength: number, minLength: number): ClassifierBatch {
  const len = Math.max(minLength, Math.min(maxLength, Math.max(1, ...seqs.map((s) => s.length))));
  const ids = new Int32Array(seqs.length * len).fill(PAD_ID);
  const mask = new Float32Array(seqs.length * len);
  seqs.forEach((s, b) => {
    const n = Math.min(len, s.length);
    for (let t = 0; t < n; t++) {
      ids[b * len + t] = s[t]!;
      mask[b * len + t] = 1;
    }
    if (n === 0) mask[b * len] = 1; // an empty text reads one padding token rather than nothing
  });
  return { ids: tf.tensor2d(ids, [seqs.length, len], 'int32'), mask: tf.tensor2d(mask, [seqs.length, len]) };
}

/** A model on sparse TF-IDF vectors (no tfjs): naive Bayes or a linear SVM / logistic regression. */
export interface SparseParts {
  tfidf: Tfidf;
  model: NaiveBayes | LinearModel;
}

/** A text classifier: naive Bayes or a linear model on TF-IDF, or a neural network on token ids. */
export class TextClassifier {
  constructor(
    readonly head: ClassifierHead,
    readonly sparse: SparseParts | undefined,
    readonly neural: NeuralParts | undefined,
    /** The manifest it was loaded from (undefined while training). */
    readonly manifest?: ModelManifest,
  ) {}

  get labels(): string[] {
    return this.head.labels;
  }

  /** The TF-IDF parts when the model is naive Bayes. */
  get nb(): { tfidf: Tfidf; model: NaiveBayes } | undefined {
    const p = this.sparse;
    return p && p.model instanceof NaiveBayes ? { tfidf: p.tfidf, model: p.model } : undefined;
  }

  /** `naive-bayes`, `linear`, `bag`, `lstm`, `gru` or `conv`. */
  get type(): string {
    if (this.sparse) return this.sparse.model instanceof LinearModel ? 'linear' : 'naive-bayes';
    return this.neural!.net.arch.type;
  }

  /** True for models with a recurrent encoder (the app explains their decisions word by word). */
  get recurrent(): boolean {
    return this.type === 'lstm' || this.type === 'gru';
  }

  /** The tokens a neural model reads for `text` (words or pieces), for explanations; TF-IDF models: its words. */
  tokens(text: string): string[] {
    if (this.neural) {
      const t = this.neural.tokenizer;
      if (t instanceof WordTokenizer) return t.tokenize(text).slice(0, this.neural.maxLength);
      if (t instanceof SentencePieceTokenizer) return t.encodePieces(text).slice(0, this.neural.maxLength);
    }
    return text.split(/\s+/).filter(Boolean);
  }

  /** Probability rows for `texts` (softmax over classes, or per-label sigmoids), in batches of `batchSize`. */
  predict(texts: readonly string[], batchSize = 256): Float32Array[] {
    const sparse = this.sparse;
    if (sparse) return texts.map((t) => Float32Array.from(sparse.model.predictProba(sparse.tfidf.transform(t))));
    return this.predictIds(
      texts.map((t) => this.neural!.tokenizer.encode(t)),
      batchSize,
    );
  }

  /** Probability rows for already tokenized texts (neural models only). */
  predictIds(seqs: readonly number[][], batchSize = 256): Float32Array[] {
    const n = this.neural!;
    const out: Float32Array[] = [];
    // Sorting by length keeps padding small; results go back in input order.
    const order = seqs.map((_, i) => i).sort((a, b) => seqs[a]!.length - seqs[b]!.length);
    for (let i = 0; i < order.length; i += batchSize) {
      const idx = order.slice(i, i + batchSize);
      const batch = padBatch(
        idx.map((j) => seqs[j]!),
        n.maxLength,
        n.net.minLength,
      );
      const p = n.net.probabilities(batch);
      const flat = p.dataSync() as Float32Array;
      const k = p.shape[1];
      idx.forEach((j, r) => (out[j] = flat.slice(r * k, (r + 1) * k)));
      tf.dispose([p, batch.ids, batch.mask]);
    }
    return out;
  }

  /** The predicted label indices of each text. */
  classify(texts: readonly string[]): number[][] {
    return this.predict(texts).map((p) => decide(p, this.head));
  }

  dispose(): void {
    this.neural?.net.dispose();
  }
}

export interface SaveClassifierOptions {
  name: string;
  dtype?: WeightDtype;
  training?: Json;
  metrics?: Json;
  license?: string;
}

/** Writes `c` into `dir` (each file atomically; the manifest last, so a reader never sees a half-written model). */
export function saveClassifier(dir: string, c: TextClassifier, o: SaveClassifierOptions): void {
  const dtype = c.sparse ? 'float32' : (o.dtype ?? 'float32');
  let architecture: Json;
  let tokenizer: Json;
  let sum: { bytes: number; sha256: string };
  if (c.sparse) {
    const m = c.sparse.model;
    if (m instanceof LinearModel) {
      sum = saveWeights(
        join(dir, 'weights.bin'),
        { 'linear/weights': tf.tensor2d(m.weights, [m.rows, m.features + 1]) },
        'float32',
      );
      architecture = { type: 'linear', features: m.features, mode: m.mode, loss: m.loss };
    } else {
      const rows = m.classLogPrior.length;
      sum = saveWeights(
        join(dir, 'weights.bin'),
        {
          'nb/classLogPrior': tf.tensor1d(Float32Array.from(m.classLogPrior)),
          'nb/featureLogProb': tf.tensor2d(m.featureLogProb, [rows, m.features]),
        },
        'float32',
      );
      architecture = { type: 'naive-bayes', features: m.features, oneVsRest: m.oneVsRest };
    }
    writeFileAtomic(join(dir, 'tfidf.json'), JSON.stringify(c.sparse.tfidf.toJSON()) + '\n');
    tokenizer = {
      type: 'tfidf',
      file: 'tfidf.json',
      ...(c.sparse.tfidf.toJSON().analyzer as unknown as Json),
      sublinearTf: c.sparse.tfidf.sublinearTf,
    };
  } else {
    const n = c.neural!;
    sum = saveWeights(join(dir, 'weights.bin'), n.net.vars, dtype);
    architecture = { ...(n.net.arch as unknown as Json) };
    if (n.tokenizer instanceof WordTokenizer) {
      n.tokenizer.save(join(dir, 'tokenizer.json'));
      tokenizer = { type: 'word', file: 'tokenizer.json', maxLength: n.maxLength };
    } else if (n.tokenizer instanceof SentencePieceTokenizer) {
      const target = join(dir, 'tokenizer.model');
      if (resolve(n.tokenizer.path) !== resolve(target)) writeFileAtomic(target, readFileSync(n.tokenizer.path));
      tokenizer = { type: 'sentencepiece', file: 'tokenizer.model', maxLength: n.maxLength };
    } else throw new Error('saveClassifier: unsupported tokenizer');
  }
  const manifest: ModelManifest = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    kind: 'classifier',
    name: o.name,
    created: new Date().toISOString(),
    architecture: {
      classifierVersion: CLASSIFIER_VERSION,
      labels: c.head.labels,
      multiLabel: c.head.multiLabel,
      threshold: c.head.threshold,
      ...architecture,
    },
    tokenizer,
    ...(o.training ? { training: o.training } : {}),
    ...(o.metrics ? { metrics: o.metrics } : {}),
    weights: { file: 'weights.bin', dtype, ...sum },
    ...(o.license ? { license: o.license } : {}),
  };
  writeManifest(dir, manifest);
}

/** Reads a classifier model directory; errors name the file and what is wrong. */
export async function loadClassifier(dir: string): Promise<TextClassifier> {
  const manifest = readManifest(dir);
  const where = join(dir, 'manifest.json');
  if (manifest.kind !== 'classifier')
    throw new Error(`${where}: kind is ${manifest.kind}, expected classifier (a text classification model)`);
  const a = manifest.architecture as Json & {
    classifierVersion?: number;
    labels?: string[];
    multiLabel?: boolean;
    threshold?: number;
    type?: string;
  };
  if (typeof a.classifierVersion !== 'number' || a.classifierVersion > CLASSIFIER_VERSION)
    throw new Error(
      `${where}: architecture.classifierVersion ${String(a.classifierVersion)} is not one this Parley reads (${CLASSIFIER_VERSION})`,
    );
  if (!Array.isArray(a.labels) || a.labels.length === 0) throw new Error(`${where}: architecture.labels is missing`);
  const head: ClassifierHead = {
    labels: a.labels,
    multiLabel: a.multiLabel === true,
    threshold: typeof a.threshold === 'number' ? a.threshold : 0.5,
  };
  const { path: weightsFile, tensors } = loadModelWeights(dir, manifest);
  const tok = manifest.tokenizer as { type?: string; file?: string; maxLength?: number };
  if (a.type === 'naive-bayes' || a.type === 'linear') {
    const tfidfFile = join(dir, tok.file ?? 'tfidf.json');
    let tfidfJson: TfidfJSON;
    try {
      tfidfJson = JSON.parse(readFileSync(tfidfFile, 'utf8')) as TfidfJSON;
    } catch (e) {
      throw new Error(`${tfidfFile}: cannot read the TF-IDF vocabulary (${errorMessage(e)})`);
    }
    const tfidf = Tfidf.fromJSON(tfidfJson, tfidfFile);
    const model =
      a.type === 'linear' ? linearFrom(a, tensors, weightsFile, where) : naiveBayesFrom(a, tensors, weightsFile);
    if (model.features !== tfidf.size)
      throw new Error(`${weightsFile}: ${model.features} features, tfidf.json has ${tfidf.size}`);
    if (model.outputs !== head.labels.length)
      throw new Error(`${weightsFile}: ${model.outputs} outputs for ${head.labels.length} labels`);
    return new TextClassifier(head, { tfidf, model }, undefined, manifest);
  }
  const tokFile = join(dir, tok.file ?? '');
  const tokenizer =
    tok.type === 'word'
      ? WordTokenizer.load(tokFile)
      : tok.type === 'sentencepiece'
        ? await SentencePieceTokenizer.load(tokFile)
        : undefined;
  if (!tokenizer) throw new Error(`${where}: unknown tokenizer type ${JSON.stringify(tok.type)}`);
  const net = new NeuralClassifierNet(a as unknown as NeuralArchitecture, 1);
  assignWeights(net.vars, tensors, weightsFile);
  return new TextClassifier(head, undefined, { net, tokenizer, maxLength: tok.maxLength ?? 100 }, manifest);
}

function naiveBayesFrom(a: Json, tensors: NamedTensors, weightsFile: string): NaiveBayes {
  const prior = tensors['nb/classLogPrior'];
  const flp = tensors['nb/featureLogProb'];
  if (!prior || !flp) throw new Error(`${weightsFile}: missing the naive Bayes tensors`);
  const model = new NaiveBayes(
    Float64Array.from(prior.dataSync()),
    Float32Array.from(flp.dataSync()),
    flp.shape[1]!,
    a.oneVsRest === true,
  );
  tf.dispose([prior, flp]);
  return model;
}

function linearFrom(a: Json, tensors: NamedTensors, weightsFile: string, where: string): LinearModel {
  const w = tensors['linear/weights'];
  if (!w || w.shape.length !== 2) throw new Error(`${weightsFile}: missing the linear model's weights`);
  const mode = a.mode;
  if (mode !== 'binary' && mode !== 'multiclass' && mode !== 'multilabel')
    throw new Error(`${where}: architecture.mode ${JSON.stringify(mode)} is not binary, multiclass or multilabel`);
  const loss = a.loss;
  if (loss !== 'hinge' && loss !== 'squared_hinge' && loss !== 'logistic')
    throw new Error(`${where}: architecture.loss ${JSON.stringify(loss)} is not hinge, squared_hinge or logistic`);
  const model = new LinearModel(Float32Array.from(w.dataSync()), w.shape[1] - 1, mode, loss as LinearLoss);
  tf.dispose(w);
  return model;
}
