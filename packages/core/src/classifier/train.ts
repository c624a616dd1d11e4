// Training a text classifier from a `kind: classifier` config, and k-fold cross-validation.
//   naive-bayes, linear: TF-IDF fitted on the training texts, then multinomial NB (sample-weighted by class weights)
//           or a linear SVM / logistic regression (class weights scale C); no tfjs.
//   neural: seeded batches, Adam, clipping, validation on dev every `validEvery` updates or each epoch, the best
//           dev metric exported (cfg.exportDtype), early stopping, `checkpoints/last` (weights, Adam moments,
//           trainer state) for exact resume, `maxMinutes` and an AbortSignal stop with a checkpoint.
// Multi-label models get their decision threshold tuned on dev. Progress goes out as ProgressEvents; train.log is
// those events formatted (common/events.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  SentencePieceTokenizer,
  shuffled,
  trainBpe,
  encodeModel,
  UNK_ID,
  WordTokenizer,
  type Tokenizer,
  type WordVectors,
} from '@parley/text';
import {
  Adam,
  assignWeights,
  checkDataFile,
  claimRunDir,
  clipByGlobalNorm,
  ConfigError,
  DataFileError,
  hasCheckpoint,
  loadCheckpoint,
  nextTurn,
  doneEvent,
  formatProgressEvent,
  STOP_REASONS,
  stopBeforeUpdate,
  StepWindow,
  trainLog,
  validationCheckpoint,
  writeFileAtomic,
  type JsonValue,
  type ProgressEvent,
  type ProgressSinks,
} from '../common/index';
import { portableConfig } from '../seq2seq/config';
import type { ClassifierConfig } from './config';
import { loadClassifierData, stratifiedFolds, stratifiedSplit, type ClassifierData, type LabeledText } from './data';
import { loadClassifier, padBatch, saveClassifier, TextClassifier, type ClassifierHead } from './model';
import { LinearModel } from './linear';
import { NaiveBayes } from './naive-bayes';
import { NeuralClassifierNet } from './neural';
import { fillEmbedding, readPretrained, vocabularyWords, withPretrainedWords } from './pretrained';
import { foldMeanStd, headline, scoreClassifier, tuneThreshold, type SetScores } from './scores';
import { Tfidf } from './tfidf';

/** How a run is driven; `onEvent` and `log` (ProgressSinks) receive its progress events and train.log lines. */
export interface ClassifierTrainOptions extends ProgressSinks {
  /** Continue from checkpoints/last when it exists (neural models). Default true. */
  resume?: boolean;
  /** Stops training at the next update (a checkpoint is written and the best model kept). */
  signal?: AbortSignal;
  /** Use this data instead of reading cfg.data (cross-validation folds, tests). */
  data?: ClassifierData;
  /** Write here instead of cfg.modelDir. */
  modelDir?: string;
  /** Train into a model directory that holds another model or files Parley did not write (starting fresh). */
  overwrite?: boolean;
}

export interface ClassifierTrainResult {
  modelDir: string;
  /** Scores of the exported (best) model. */
  dev?: SetScores;
  test?: SetScores;
  /** Updates run in total (0 for naive Bayes and linear models). */
  steps: number;
  stopReason: string;
  /** Training examples per second in this call (all passes). */
  examplesPerSecond: number;
}

/** Per-example weights from the config's class weights (single-label: by the example's class; multi-label: 1). */
export function exampleWeights(cfg: ClassifierConfig, data: ClassifierData, items: readonly LabeledText[]): number[] {
  const cw = cfg.training.classWeights;
  if (cw === 'none' || data.multiLabel) return items.map(() => 1);
  let per: number[];
  if (cw === 'balanced') {
    const counts = new Array<number>(data.labels.length).fill(0);
    for (const x of items) counts[x.labels[0]!]!++;
    per = counts.map((n) => (n > 0 ? items.length / (data.labels.length * n) : 1));
  } else per = data.labels.map((l) => cw[l] ?? 1);
  return items.map((x) => per[x.labels[0]!]!);
}

/** The headline scores of a set, by name (a validation event's `scores`, and the dev/test lines of train.log). */
function headlineScores(s: SetScores): Record<string, number> {
  return s.kind === 'multi'
    ? { microF1: s.microF1, macroF1: s.macroF1, subsetAccuracy: s.subsetAccuracy }
    : { accuracy: s.accuracy, macroF1: s.macro.f1, ...(s.rocAuc !== undefined ? { rocAuc: s.rocAuc } : {}) };
}

/** Scores as one train.log line. */
function describe(s: SetScores): string {
  return Object.entries(headlineScores(s))
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(' ');
}

/** The headline numbers of a set's scores, as a manifest records them (`parley test` prints the full report). */
export function metricsJson(s: SetScores): { [k: string]: JsonValue } {
  const r = (x: number) => Number(x.toFixed(6));
  if (s.kind === 'multi')
    return { texts: s.texts, microF1: r(s.microF1), macroF1: r(s.macroF1), subsetAccuracy: r(s.subsetAccuracy) };
  return {
    texts: s.texts,
    accuracy: r(s.accuracy),
    macroF1: r(s.macro.f1),
    weightedF1: r(s.weighted.f1),
    ...(s.rocAuc !== undefined ? { rocAuc: r(s.rocAuc) } : {}),
  };
}

/** Trains the classifier `cfg` describes; see the file comment. */
export async function trainClassifier(
  cfg: ClassifierConfig,
  opts: ClassifierTrainOptions = {},
): Promise<ClassifierTrainResult> {
  const dir = opts.modelDir ?? cfg.modelDir;
  if (!opts.data) checkDataFile('data.file', cfg.data.file); // refused before the directory is touched
  const tookOver = claimRunDir(dir, { kind: 'classifier', name: cfg.name }, opts.overwrite);
  if (tookOver) opts = { ...opts, resume: false };
  const emit = trainLog(dir, opts);
  const log = (line: string) => emit({ type: 'log', line });
  const data = opts.data ?? (await loadClassifierData(cfg.data));
  data.notes.forEach((n) => log(`data: ${n}`));
  log(
    `data: ${data.train.length} train / ${data.dev.length} dev / ${data.test.length} test texts, ${data.labels.length} labels${data.multiLabel ? ' (multi-label)' : ''}`,
  );
  if (data.train.length === 0) throw new Error(`${cfg.data.file}: no training texts after the split`);
  const result =
    cfg.model.type === 'naive-bayes' || cfg.model.type === 'linear'
      ? trainSparse(cfg, data, dir, emit)
      : await trainNeural(cfg, data, dir, emit, opts);
  // Final scores of the exported model, recorded in its manifest.
  const c = await loadClassifier(dir);
  const head: ClassifierHead = c.head;
  if (head.multiLabel && data.dev.length) {
    const t = tuneThreshold(c, data.dev);
    head.threshold = t.threshold;
    log(`threshold: ${t.threshold.toFixed(2)} (dev micro-F1 ${t.microF1.toFixed(4)})`);
  }
  const dev = data.dev.length ? scoreClassifier(c, data.dev) : undefined;
  const test = data.test.length ? scoreClassifier(c, data.test) : undefined;
  if (dev) log(`dev: ${describe(dev)}`);
  if (test) log(`test: ${describe(test)}`);
  saveClassifier(dir, c, {
    name: cfg.name,
    dtype: c.manifest!.weights.dtype,
    training: { ...(c.manifest!.training ?? {}), ...(head.multiLabel ? { threshold: head.threshold } : {}) },
    metrics: { ...(dev ? { dev: metricsJson(dev) } : {}), ...(test ? { test: metricsJson(test) } : {}) },
  });
  c.dispose();
  emit(doneEvent(result.stopReason, result.steps));
  return { ...result, modelDir: dir, dev, test };
}

function trainingJson(
  cfg: ClassifierConfig,
  data: ClassifierData,
  extra: { [k: string]: JsonValue },
): { [k: string]: JsonValue } {
  return {
    config: portableConfig(cfg as never) as JsonValue,
    trainTexts: data.train.length,
    devTexts: data.dev.length,
    testTexts: data.test.length,
    ...extra,
  };
}

/** Fits the TF-IDF vectorizer and a naive Bayes or linear model on it (one pass, no tfjs). */
function trainSparse(cfg: ClassifierConfig, data: ClassifierData, dir: string, emit: (e: ProgressEvent) => void) {
  const m = cfg.model;
  const t0 = performance.now();
  const log = (line: string) => emit({ type: 'log', line });
  emit({
    type: 'start',
    kind: 'classifier',
    dir,
    totalEpochs: 1,
    totalSteps: 1,
    stepsPerEpoch: 1,
    startStep: 0,
    metric: cfg.training.metric,
    higherIsBetter: true,
  });
  const tfidf = Tfidf.fit(
    data.train.map((x) => x.text),
    { analyzer: m.analyzer, ngrams: m.ngrams, lowercase: m.lowercase, sublinearTf: m.sublinearTf, minDf: m.minDf },
  );
  const x = data.train.map((d) => tfidf.transform(d.text));
  const targets = data.train.map((d) => d.labels);
  const weights = exampleWeights(cfg, data, data.train);
  const features = `${tfidf.size} ${m.analyzer} ${m.ngrams.join('-')}-gram features (min df ${m.minDf}${m.sublinearTf ? ', sublinear tf' : ''})`;
  let model: NaiveBayes | LinearModel;
  let what: string;
  if (m.type === 'linear') {
    const fit = LinearModel.fit(x, targets, data.labels.length, tfidf.size, {
      loss: m.loss,
      C: m.C,
      tol: m.tol,
      maxIter: m.maxIter,
      multiLabel: data.multiLabel,
      weights,
      seed: cfg.training.seed,
    });
    model = fit.model;
    const most = Math.max(...fit.iterations);
    what = `linear ${m.loss}: ${features}, C ${m.C}; ${fit.model.rows} weight vector${fit.model.rows > 1 ? 's' : ''}, at most ${most} ${m.loss === 'logistic' ? 'L-BFGS iterations' : 'passes'}${most >= m.maxIter ? ` (reached model.maxIter ${m.maxIter} before tol ${m.tol})` : ''}`;
  } else {
    model = NaiveBayes.fit(x, targets, data.labels.length, tfidf.size, {
      alpha: m.alpha,
      multiLabel: data.multiLabel,
      weights,
    });
    what = `naive-bayes: ${features}, α ${m.alpha}`;
  }
  const seconds = (performance.now() - t0) / 1000;
  log(`${what}; fitted in ${seconds.toFixed(2)} s`);
  const c = new TextClassifier(
    { labels: data.labels, multiLabel: data.multiLabel, threshold: 0.5 },
    { tfidf, model },
    undefined,
  );
  saveClassifier(dir, c, {
    name: cfg.name,
    training: trainingJson(cfg, data, { seconds: Number(seconds.toFixed(3)) }),
  });
  if (data.dev.length) {
    const s = scoreClassifier(c, data.dev);
    emit({
      type: 'validation',
      step: 1,
      loss: 0,
      metric: headline(s, cfg.training.metric),
      best: true,
      samples: [],
      scores: headlineScores(s),
    });
  }
  return { steps: 0, stopReason: 'fitted', examplesPerSecond: data.train.length / Math.max(seconds, 1e-9) };
}

/** Trains (or restores) the neural model's tokenizer on the training texts. */
async function neuralTokenizer(
  cfg: ClassifierConfig,
  texts: string[],
  dir: string,
  resume: boolean,
): Promise<Tokenizer> {
  const t = cfg.tokenizer;
  if (t.type === 'word') {
    const file = join(dir, 'tokenizer.json');
    if (resume && existsSync(file)) return WordTokenizer.load(file);
    const tok = WordTokenizer.train(texts, {
      standardize: t.standardize,
      maxTokens: t.vocabSize,
      minFrequency: t.minCount,
    });
    tok.save(file);
    return tok;
  }
  const file = join(dir, 'tokenizer.model');
  if (!(resume && existsSync(file)))
    writeFileAtomic(file, encodeModel(trainBpe(texts, { vocabSize: t.vocabSize }).model));
  return SentencePieceTokenizer.load(file);
}

interface NeuralState {
  step: number;
  epoch: number;
  batchInEpoch: number;
  elapsedSeconds: number;
  bad: number;
  best: number | null;
  bestStep: number;
}

async function trainNeural(
  cfg: ClassifierConfig,
  data: ClassifierData,
  dir: string,
  emit: (e: ProgressEvent) => void,
  opts: ClassifierTrainOptions,
) {
  const log = (line: string) => emit({ type: 'log', line });
  const t = cfg.training;
  const m = cfg.model;
  const resume = (opts.resume ?? true) && hasCheckpoint(dir, 'last');
  let tokenizer = await neuralTokenizer(
    cfg,
    data.train.map((x) => x.text),
    dir,
    resume,
  );
  let vectors: WordVectors | undefined;
  let addedWords: { [k: string]: JsonValue } = {};
  if (m.pretrained) {
    // train+data: the data's words with a vector join the vocabulary (once; a resumed run has them in tokenizer.json).
    const extend = m.pretrainedVocabulary === 'train+data' && !resume && tokenizer instanceof WordTokenizer;
    const texts = extend ? [...data.train, ...data.dev, ...data.test].map((x) => x.text) : [];
    const words = new Set(vocabularyWords(tokenizer));
    for (const t of texts) for (const w of (tokenizer as WordTokenizer).tokenize(t)) words.add(w);
    vectors = await readPretrained(m.pretrained, m.embeddingDim, words);
    if (extend) {
      const unkShare = (tok: Tokenizer) => {
        let unk = 0;
        let all = 0;
        for (const x of data.test)
          for (const id of tok.encode(x.text)) {
            all++;
            if (id === UNK_ID) unk++;
          }
        return all ? `${((100 * unk) / all).toFixed(1)}%` : '-';
      };
      const before = tokenizer;
      const r = withPretrainedWords(tokenizer as WordTokenizer, texts, vectors);
      tokenizer = r.tokenizer;
      (tokenizer as WordTokenizer).save(join(dir, 'tokenizer.json'));
      addedWords = { pretrainedWordsAdded: r.added };
      log(
        `pretrained vocabulary train+data: ${r.added} words of the data's texts outside the training vocabulary have a vector and get ids (vocabulary ${before.vocabSize} → ${tokenizer.vocabSize}); unk share of the test tokens ${unkShare(before)} → ${unkShare(tokenizer)}`,
      );
    }
  }
  const maxLength = cfg.tokenizer.maxLength;
  const encode = (xs: readonly LabeledText[]) => xs.map((x) => tokenizer.encode(x.text).slice(0, maxLength));
  const trainIds = encode(data.train);
  const devIds = encode(data.dev);
  const k = data.labels.length;
  const net = new NeuralClassifierNet(
    {
      type: m.type as 'bag',
      vocabSize: tokenizer.vocabSize,
      outputs: k,
      multiLabel: data.multiLabel,
      embeddingDim: m.embeddingDim,
      hidden: m.hidden,
      layers: m.layers,
      bidirectional: m.bidirectional,
      pooling: m.pooling,
      kernelSizes: m.kernelSizes,
      dropout: m.dropout,
      ...(m.embeddingDropout === undefined ? {} : { embeddingDropout: m.embeddingDropout }),
    },
    t.seed,
  );
  const head: ClassifierHead = { labels: data.labels, multiLabel: data.multiLabel, threshold: 0.5 };
  const classifier = new TextClassifier(head, undefined, { net, tokenizer, maxLength });
  let pretrainedNote: { [k: string]: JsonValue } = {};
  if (vectors) {
    const counts = new Array<number>(tokenizer.vocabSize).fill(0);
    for (const ids of trainIds) for (const id of ids) counts[id]!++;
    const r = await fillEmbedding(vectors, net.vars.embedding!, tokenizer, counts);
    const oovTokenShare = r.oovTokenShare ?? 0;
    pretrainedNote = {
      pretrained: m.pretrained.split('/').pop()!,
      oovShare: Number(r.oovShare.toFixed(4)),
      oovTokenShare: Number(oovTokenShare.toFixed(4)),
      frozen: m.freezeEmbeddings,
      ...addedWords,
    };
    log(
      `pretrained: ${r.found} of ${r.lookedUp} vocabulary entries found in ${m.pretrained}; out-of-vocabulary share ${(100 * r.oovShare).toFixed(1)}% of the vocabulary, ${(100 * oovTokenShare).toFixed(1)}% of training tokens${m.freezeEmbeddings ? '; frozen' : '; fine-tuned'}`,
    );
    if (m.freezeEmbeddings) net.frozen.add('embedding');
  }
  const adam = new Adam(net.vars, { lr: t.lr });
  let st: NeuralState = { step: 0, epoch: 0, batchInEpoch: 0, elapsedSeconds: 0, bad: 0, best: null, bestStep: 0 };
  if (resume) {
    const ck = loadCheckpoint(dir, 'last');
    assignWeights(net.vars, ck.weights, join(dir, 'checkpoints/last/weights.bin'));
    st = ck.state.trainer as unknown as NeuralState;
    adam.loadState(ck.optimizer, st.step);
    log(`resume: from checkpoints/last at update ${st.step} (epoch ${st.epoch + 1})`);
  } else {
    const nParams = Object.values(net.vars).reduce((a, v) => a + v.size, 0);
    log(
      `model: ${JSON.stringify(net.arch)}; ${nParams} parameters; tokenizer ${cfg.tokenizer.type}, vocabulary ${tokenizer.vocabSize}`,
    );
  }
  const weights = exampleWeights(cfg, data, data.train);
  const stepsPerEpoch = Math.ceil(trainIds.length / t.batchSize);
  emit({
    type: 'start',
    kind: 'classifier',
    dir,
    totalEpochs: t.epochs,
    stepsPerEpoch,
    totalSteps: stepsPerEpoch * t.epochs,
    startStep: st.step,
    metric: t.metric,
    higherIsBetter: t.metric !== 'loss',
  });

  const callStart = performance.now();
  const startElapsed = st.elapsedSeconds;
  const elapsed = () => startElapsed + (performance.now() - callStart) / 1000;
  let examples = 0;
  const progress = new StepWindow();

  let validatedAt = -1;
  const validate = async (): Promise<boolean> => {
    validatedAt = st.step;
    let score: number;
    let loss = 0;
    let scores: Record<string, number> | undefined;
    if (data.dev.length === 0)
      score = -st.step; // no dev set: the latest model is the best
    else {
      const probs = classifier.predictIds(devIds);
      if (head.multiLabel) head.threshold = tuneThreshold(classifier, data.dev, probs).threshold;
      const s = scoreClassifier(classifier, data.dev, probs);
      // Cross-entropy of the dev labels: one sigmoid per label (multi-label) or the softmax's gold entry.
      for (const [i, p] of probs.entries()) {
        const gold = data.dev[i]!.labels;
        if (head.multiLabel) p.forEach((pj, j) => (loss -= Math.log(Math.max(1e-7, gold.includes(j) ? pj : 1 - pj))));
        else loss -= Math.log(Math.max(1e-7, p[gold[0]!]!));
      }
      loss /= probs.length;
      score = t.metric === 'loss' ? -loss : headline(s, t.metric);
      scores = { loss, ...headlineScores(s) };
    }
    const isBest = st.best === null || score > st.best;
    if (isBest) {
      st.best = score;
      st.bestStep = st.step;
      st.bad = 0;
      saveClassifier(dir, classifier, {
        name: cfg.name,
        dtype: cfg.exportDtype,
        training: trainingJson(cfg, data, {
          step: st.step,
          epoch: st.epoch,
          elapsedSeconds: Math.round(elapsed()),
          ...pretrainedNote,
        }),
      });
    } else st.bad++;
    st.elapsedSeconds = elapsed();
    return validationCheckpoint(
      emit,
      dir,
      { weights: net.vars, optimizer: adam.stateTensors(), trainer: st },
      {
        step: st.step,
        loss,
        metric: t.metric === 'loss' ? loss : score,
        best: isBest,
        samples: [],
        ...(scores ? { scores } : {}),
        patience: { bad: st.bad, limit: t.earlyStopping },
      },
    );
  };

  let stopReason = '';
  training: while (st.epoch < t.epochs) {
    const order = shuffled(
      trainIds.map((_, i) => i),
      t.seed * 1000 + st.epoch,
    );
    for (; st.batchInEpoch < stepsPerEpoch;) {
      await nextTurn(); // let signals and stop requests in
      stopReason =
        stopBeforeUpdate({ maxMinutes: t.maxMinutes, elapsedSec: elapsed(), stopRequested: !!opts.signal?.aborted }) ??
        '';
      if (stopReason) break training;
      const idx = order.slice(st.batchInEpoch * t.batchSize, (st.batchInEpoch + 1) * t.batchSize);
      st.batchInEpoch++;
      st.step++;
      const batch = padBatch(
        idx.map((i) => trainIds[i]!),
        maxLength,
        net.minLength,
      );
      const targets = data.multiLabel
        ? tf.tensor2d(
            idx.flatMap((i) => Array.from({ length: k }, (_, j) => (data.train[i]!.labels.includes(j) ? 1 : 0))),
            [idx.length, k],
          )
        : tf.tensor1d(
            idx.map((i) => data.train[i]!.labels[0]!),
            'int32',
          );
      const w = tf.tensor1d(idx.map((i) => weights[i]!));
      const r = net.lossAndGrads(batch, targets, w, t.seed * 1_000_003 + st.step);
      const clipped = clipByGlobalNorm(r.grads, t.clipNorm);
      adam.apply(clipped.grads);
      tf.dispose([r.grads, clipped.grads, batch.ids, batch.mask, targets, w] as unknown as tf.Tensor[]);
      examples += idx.length;
      progress.add(r.loss, idx.length);
      if (t.logEvery > 0 && st.step % t.logEvery === 0) {
        const remaining = stepsPerEpoch * t.epochs - st.step;
        emit(
          progress.close(
            { step: st.step, epoch: st.epoch, epochStep: st.batchInEpoch, unit: 'examples', learningRate: adam.lr },
            remaining,
          ),
        );
      }
      if (t.validEvery > 0 && st.step % t.validEvery === 0 && (await validate())) {
        stopReason = STOP_REASONS.earlyStopping(t.earlyStopping);
        break training;
      }
    }
    st.epoch++;
    st.batchInEpoch = 0;
    if (t.validEvery === 0 && (await validate())) {
      stopReason = STOP_REASONS.earlyStopping(t.earlyStopping);
      break;
    }
  }
  if (!stopReason) stopReason = STOP_REASONS.epochs(t.epochs);
  // Updates since the last validation (stopped mid-epoch, or the end of a run validating every N updates).
  if (!stopReason.startsWith('early') && validatedAt !== st.step) await validate();
  log(
    `best: update ${st.bestStep} (${t.metric} ${st.best === null ? '-' : t.metric === 'loss' ? (-st.best).toFixed(4) : st.best.toFixed(4)})`,
  );
  const examplesPerSecond = examples / ((performance.now() - callStart) / 1000);
  adam.dispose();
  net.dispose();
  return { steps: st.step, stopReason, examplesPerSecond };
}

/** One fold's result in cross-validation. */
export interface FoldResult {
  fold: number;
  /** The model's test scores; with ensemble members, the ensemble's (the average of the members' probabilities). */
  test: SetScores;
  /** With ensemble members: each member's own test scores, `cfg` first. */
  members?: { name: string; test: SetScores }[];
}

/** Options of `crossValidate`. */
export interface CrossValidateOptions extends ClassifierTrainOptions {
  /**
   * More single-label classifier configs trained on each fold beside `cfg` (same training, dev and test texts):
   * the fold is scored by the average of all their probabilities. Their models go to
   * `<modelDir>/members/<name>/folds/<i>`.
   */
  ensemble?: readonly ClassifierConfig[];
  /**
   * Run only these folds (1-based, each ≤ k; default all): a slow cross-validation spread over several runs, or
   * measured on a few folds. The folds are the same as in a full run; the mean and std are over the folds run.
   */
  only?: readonly number[];
}

/**
 * Refuses ensemble members `crossValidate` cannot pair with `cfg`: another data file, multi-label, a repeated name.
 * A ConfigError (`file: problem`), thrown before any data is read or model trained (the CLI exits 2 on it).
 */
function checkEnsemble(cfg: ClassifierConfig, members: readonly ClassifierConfig[]): void {
  const names = new Set([cfg.name]);
  for (const m of members) {
    if (m.data.file !== cfg.data.file || m.data.multiLabel || cfg.data.multiLabel)
      throw new ConfigError(
        `${m.origin?.file ?? m.name}: an ensemble member must be a single-label classifier of the same data file as ${cfg.origin?.file ?? cfg.name} (${cfg.data.file})`,
      );
    if (names.has(m.name))
      throw new ConfigError(`${m.origin?.file ?? m.name}: two ensemble members are named ${m.name}`);
    names.add(m.name);
  }
}

/**
 * k-fold stratified cross-validation (seeded by data.seed): each fold is tested once by a model trained on the
 * other k−1 folds (neural models take their dev set from those, stratified, for early stopping). Fold models go
 * to `<modelDir>/folds/<i>`. Returns each fold's test scores and the mean and standard deviation of the headline metric
 * (over the folds run: all k, or `only`). A stop (`signal`) ends it after the folds already scored: the fold it cut
 * short is not scored (its model saw part of its training), no later fold starts, and `stopped` is true.
 */
export async function crossValidate(
  cfg: ClassifierConfig,
  k: number,
  opts: CrossValidateOptions = {},
): Promise<{
  folds: FoldResult[];
  mean: number;
  std: number;
  metric: 'accuracy' | 'macroF1' | 'microF1';
  stopped: boolean;
}> {
  const members = opts.ensemble ?? [];
  checkEnsemble(cfg, members);
  if (!opts.data) checkDataFile('data.file', cfg.data.file);
  const bad = opts.only?.find((f) => !Number.isInteger(f) || f < 1 || f > k);
  if (bad !== undefined) throw new Error(`fold ${bad} is not one of the folds 1..${k}`);
  const root = opts.modelDir ?? cfg.modelDir;
  const all = opts.data ?? (await loadClassifierData({ ...cfg.data, dev: 0, test: 0 }));
  const items = [...all.train, ...all.dev, ...all.test];
  // Every fold needs a text to test on (an empty one has no scores).
  if (items.length < k)
    throw new DataFileError(
      'data.file',
      cfg.data.file,
      `has ${items.length} labelled texts, fewer than the ${k} folds`,
    );
  claimRunDir(root, { kind: 'classifier', name: cfg.name }, opts.overwrite);
  const folds = stratifiedFolds(items, k, cfg.data.seed);
  // Each fold's score goes to the caller's sinks (the folds' runs keep their own train.log)
  const emit = (e: ProgressEvent) => (opts.onEvent?.(e), opts.log?.(formatProgressEvent(e)));
  const metric = cfg.training.metric === 'loss' ? (all.multiLabel ? 'microF1' : 'accuracy') : cfg.training.metric;
  const results: FoldResult[] = [];
  const stopped = () => opts.signal?.aborted === true;
  for (let i = 0; i < k && !stopped(); i++) {
    if (opts.only && !opts.only.includes(i + 1)) continue;
    const rest = folds.filter((_, j) => j !== i).flat();
    const split =
      (cfg.model.type === 'naive-bayes' || cfg.model.type === 'linear') && !all.multiLabel
        ? { train: rest, dev: [] }
        : stratifiedSplit(rest, cfg.data.dev, 0, cfg.data.seed + i);
    const data: ClassifierData = {
      labels: all.labels,
      multiLabel: all.multiLabel,
      train: split.train,
      dev: split.dev,
      test: folds[i]!,
      notes: [],
    };
    const run = (c: ClassifierConfig, modelDir: string) =>
      trainClassifier(c, { ...opts, data, resume: false, modelDir });
    const r = await run(cfg, join(root, 'folds', String(i + 1)));
    if (stopped()) break;
    if (members.length === 0) {
      results.push({ fold: i + 1, test: r.test! });
      emit({ type: 'fold', fold: i + 1, folds: k, metric, value: headline(r.test!, metric) });
      continue;
    }
    const dirs = [r.modelDir];
    const scores = [{ name: cfg.name, test: r.test! }];
    for (const m of members) {
      const mr = await run(m, join(root, 'members', m.name, 'folds', String(i + 1)));
      dirs.push(mr.modelDir);
      scores.push({ name: m.name, test: mr.test! });
    }
    if (stopped()) break;
    const texts = data.test.map((x) => x.text);
    let sum: Float32Array[] | undefined;
    let first: TextClassifier | undefined;
    for (const d of dirs) {
      const c = await loadClassifier(d);
      const p = c.predict(texts);
      if (sum) sum.forEach((row, j) => row.forEach((_, l) => (row[l]! += p[j]![l]!)));
      else sum = p;
      if (first) c.dispose();
      else first = c;
    }
    const test = scoreClassifier(
      first!,
      data.test,
      sum!.map((row) => row.map((v) => v / dirs.length)),
    );
    first!.dispose();
    results.push({ fold: i + 1, test, members: scores });
    emit({
      type: 'fold',
      fold: i + 1,
      folds: k,
      metric,
      value: headline(test, metric),
      members: scores.map((x) => ({ name: x.name, value: headline(x.test, metric) })),
    });
  }
  const { mean, std } = foldMeanStd(results.map((r) => headline(r.test, metric)));
  return { folds: results, mean, std, metric, stopped: stopped() };
}
