// What the screens need from the rest of Parley, one interface per job. Screens depend only on these;
// `real-services.ts` implements them with @parley/core, @parley/metrics and @parley/engine, and tests
// feed the screens small scripted implementations.
import type { Explanation as WordImportance, ProgressEvent as TrainEvent } from '@parley/core';
import type { Neighbour } from '@parley/text';

import { CHAR_SAMPLING_DEFAULTS as D } from '@parley/core';

/** The decoding controls the chat screen shows and the user adjusts with keys. */
export interface SamplingSettings {
  /** Softmax temperature; lower is more conservative. 0 < t. */
  temperature: number;
  /** Nucleus sampling: keep the smallest set of characters whose probability reaches this mass (1 = off). */
  topP: number;
  /** Keep only the k most probable characters (0 = off). */
  topK: number;
  /** Divide logits of characters already in the reply by this (1 = off), as in Hugging Face `generate()`. */
  repetitionPenalty: number;
  /** Longest reply, in characters. */
  maxLength: number;
  /**
   * The conversation's seed: the library draws the bot's nth reply with seed + n (replySeed in @parley/core, as
   * `parley chat --seed`), so the same seed and conversation give the same reply.
   */
  seed: number;
}

/**
 * The library's sampling settings (CHAR_SAMPLING_DEFAULTS in @parley/core), seed 1. A loaded model's own starting
 * settings are its ChatService's `defaults` (the model's manifest over these, as resolveCharSampling resolves them).
 */
export const DEFAULT_SAMPLING: SamplingSettings = {
  temperature: D.temperature,
  topP: D.topP,
  topK: D.topK,
  repetitionPenalty: D.repetitionPenalty,
  maxLength: D.maxNewTokens,
  seed: 1,
};

/** One line of a conversation, as the char-LM was trained on it (`Speaker: text`). */
export interface ChatTurn {
  speaker: string;
  text: string;
}

/** Where a model came from and how to describe it on the Home screen. */
export interface ModelInfo {
  /** Short name, e.g. `sheldon`. */
  name: string;
  /** Directory it was loaded from. */
  dir: string;
  /** One line: architecture and the headline validation number. */
  summary: string;
}

/** Talks as one character of the TBBT dialogue, one reply at a time. */
export interface ChatService {
  readonly model: ModelInfo;
  /** Who the user may speak as (Leonard, Penny, …). */
  readonly speakers: readonly string[];
  /** Who the model speaks as (Sheldon). */
  readonly botSpeaker: string;
  /** The Chat screen's starting settings: what `parley chat` uses when no flag is given (resolveCharSampling), seed 1. */
  readonly defaults: SamplingSettings;
  /**
   * Streams the bot's next line character by character, given the conversation so far.
   * Stops at the end of the line, at `settings.maxLength`, or when `signal` aborts.
   */
  reply(history: readonly ChatTurn[], settings: SamplingSettings, signal?: AbortSignal): AsyncIterable<string>;
}

/** One candidate translation. */
export interface Hypothesis {
  /** The detokenized English text. */
  text: string;
  /** Target tokens as the heatmap labels them. */
  tokens: string[];
  /** Model score (log-probability, length-penalised when the search uses α). */
  score: number;
  /** attention[t][s]: weight of source token s when target token t was produced; rows sum to 1. */
  attention: number[][];
}

export interface TranslationResult {
  /** Source tokens as the heatmap labels them. */
  sourceTokens: string[];
  /** Best first. */
  hypotheses: Hypothesis[];
  /** Wall time of the search in milliseconds. */
  millis: number;
}

export interface TranslateOptions {
  /** Beam size (1 = greedy). */
  beam: number;
  /** How many hypotheses to return (≤ beam). */
  nBest: number;
}

/** Translates Portuguese sentences to English. */
export interface TranslateService {
  readonly model: ModelInfo;
  /**
   * The Translate screen's starting beam: what `parley translate` uses when no --beam is given (the model's
   * `testing.beamSize`, else the library's; resolveTranslateOptions in @parley/core).
   */
  readonly defaultBeam: number;
  translate(source: string, options: TranslateOptions): Promise<TranslationResult>;
}

/** What the training dashboard draws (one event type for every trainer; declared in @parley/core). */
export type { ProgressEvent as TrainEvent } from '@parley/core';

/** A run in progress. */
export interface TrainRun {
  /** The events as they happen; ends when the run ends. */
  readonly events: AsyncIterable<TrainEvent>;
  /** Asks the run to stop; it saves a checkpoint first, then `events` ends with a `done` event. */
  stop(): void;
}

export interface TrainService {
  /** YAML configs to offer (paths relative to the working directory). */
  readonly configs: readonly string[];
  /**
   * Starts a run from a YAML config, or resumes the run the config names from its last checkpoint; with `folds`
   * (classifier configs), a k-fold cross-validation instead (`parley train --folds K`): k runs in a row, each
   * followed by a `fold` event with its held-out score.
   */
  start(configPath: string, options: { resume: boolean; folds?: number }): Promise<TrainRun>;
}

/** One metric of one system. */
export interface MetricScore {
  /** BLEU, chrF2, TER. */
  name: string;
  score: number;
  /** The score as sacreBLEU prints it, e.g. `BLEU = 34.12 65.2/40.1/26.7/17.8 (BP = …)`. */
  formatted: string;
  signature: string;
  /** Bootstrap confidence interval (mean ± half-width), when computed. */
  ci?: { mean: number; halfWidth: number };
  /** Paired test against the first system (baseline), when there are two or more systems. */
  pValue?: number;
}

export interface SystemReport {
  /** The hypothesis file. */
  file: string;
  scores: MetricScore[];
}

export interface EvalReport {
  refs: string[];
  systems: SystemReport[];
  /** The paired test used for the p-values (`paired-bs`), when there are two or more systems. */
  pairedTest?: string;
  millis: number;
}

/** One classifier's predictions scored against the gold labels. */
export interface LabelSystemReport {
  /** The predictions file. */
  file: string;
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  /** confusion[true][predicted] counts, in `LabelReport.labels` order. */
  confusion: number[][];
}

export interface LabelReport {
  gold: string;
  /** Every label seen in the gold or predicted files, sorted. */
  labels: string[];
  /** Lines scored. */
  texts: number;
  systems: LabelSystemReport[];
  millis: number;
}

export interface EvalService {
  /** Scores each hypothesis file against the reference files with BLEU, chrF and TER. */
  evaluate(hypFiles: readonly string[], refFiles: readonly string[]): Promise<EvalReport>;
  /**
   * Scores predicted labels (one per line, as `parley classify` prints them; a tab ends the label) against gold
   * labels: accuracy, macro and weighted F1, and the confusion matrix.
   */
  evaluateLabels(predFiles: readonly string[], goldFile: string): Promise<LabelReport>;
}

/** One classification of a text. */
export interface ClassifyResult {
  /** Each label's probability, in the model's label order (softmax, or one sigmoid per label when multi-label). */
  probabilities: number[];
  /** The predicted label indices (the top one, or every label over the threshold when multi-label). */
  predicted: number[];
  /** Wall time of the model call in milliseconds. */
  millis: number;
}

/** How much each word of a text weighed in the top prediction (explainPrediction's result in @parley/core). */
export type { Explanation as WordImportance } from '@parley/core';

/** Classifies texts with one model and explains its decisions word by word. */
export interface ClassifyService {
  readonly model: ModelInfo;
  /** Label names in output order. */
  readonly labels: readonly string[];
  classify(text: string): Promise<ClassifyResult>;
  /** The words' weights for the top label; rejects when `signal` aborts (a newer text came). */
  explain(text: string, signal?: AbortSignal): Promise<WordImportance>;
}

/** A classifier the app offers: its directory's name, known before the model loads. */
export interface ClassifierEntry {
  name: string;
  service: Loadable<ClassifyService>;
}

/** One word and its cosine similarity to a query (nearestWords / mostSimilar in @parley/text). */
export type { Neighbour } from '@parley/text';

/** A table of word vectors, loaded: nearest words and analogies over it. */
export interface EmbeddingsService {
  /** Where the vectors came from; `summary` says how many words and dimensions. */
  readonly model: ModelInfo;
  /**
   * The `top` words nearest to the sum of `positive` minus `negative` (unit vectors, gensim's most_similar),
   * the query words excluded; rejects naming a word that is not in the table.
   */
  query(positive: readonly string[], negative: readonly string[], top: number): Promise<Neighbour[]>;
}

/** The word vectors the Embeddings screen queries; loaded only when the screen first opens (GloVe takes seconds). */
export interface EmbeddingsSource {
  /** e.g. `GloVe 6B 100d` or a vector file's path, known before loading. */
  readonly name: string;
  /** Loads the table once; later calls return the same service (or the same failure). */
  open(): Promise<EmbeddingsService>;
}

/** A model that may or may not be there; screens show `error` instead of the job when it is not. */
export type Loadable<T> = { state: 'loading' } | { state: 'ready'; service: T } | { state: 'missing'; error: string };

/** Everything the app runs on. */
export interface Services {
  /** The backend line, e.g. `backend: wasm; skipped node (not installed)`. */
  backend: string;
  /** A one-line hint when a faster backend is not installed (undefined when none applies). */
  backendHint?: string;
  chat: Loadable<ChatService>;
  translate: Loadable<TranslateService>;
  train: TrainService;
  evaluate: EvalService;
  /** The classifiers of the Classify screen, each on Home (bundled: sentiment, disaster-tweets). */
  classifiers: ClassifierEntry[];
  /** The vectors of the Embeddings screen (GloVe 6B 100d unless a file or model directory is given). */
  embeddings: EmbeddingsSource;
}
