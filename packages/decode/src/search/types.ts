// What greedy and beam search need from a model, and what they return.
// The search is model-agnostic: a model exposes one decoding step over a batch of rows
// (rows = sentences × beams) and keeps everything it needs per row in a map of tensors whose
// first axis is the row. The search reorders rows with tf.gather, so a model never sees beams.
import type * as tf from '@tensorflow/tfjs';

/** Per-row decoder state: every tensor's first axis is the row (hypothesis). */
export type SearchState = Record<string, tf.Tensor>;

/** One decoding step's result for `rows` hypotheses. */
export interface StepOutput {
  /** Log-probabilities of the next token, [rows, vocab]. */
  logProbs: tf.Tensor2D;
  /** Attention over source positions, [rows, srcLen] (rows sum to 1 over real source tokens). */
  attention?: tf.Tensor2D;
  /** The state after this step (new tensors; the search disposes the old ones). */
  state: SearchState;
}

/** A model that can be searched: one step from the previous tokens and the state. */
export interface StepModel {
  /** `prev` int32 [rows]: the previously emitted token per row. Must not dispose `state`. */
  step(prev: tf.Tensor1D, state: SearchState): StepOutput;
}

/** Options shared by greedy and beam search. Lengths count output tokens, EOS excluded. */
export interface SearchOptions {
  /** Beam width; 1 makes beam search behave exactly as greedy search. Default 5. */
  beamSize?: number;
  /** How many hypotheses to return per sentence (≤ beamSize). Default 1. */
  nBest?: number;
  /** GNMT length penalty α: scores are logP / ((5 + len) / 6)^α; 0 = plain log-probability. Default 0. */
  alpha?: number;
  /** Minimum output length in tokens (EOS is blocked before it). Default 0. */
  minLength?: number;
  /** Minimum output length as a ratio of the source length (the larger of the two minimums wins). Default 0. */
  minLengthRatio?: number;
  /** Maximum output length in tokens. Default 100. */
  maxLength?: number;
  /** Maximum output length as a ratio of the source length (the smaller of the two maximums wins). Default: none. */
  maxLengthRatio?: number;
  /** Forbid repeating any n-gram of this size within a hypothesis; 0 = off. Default 0. */
  noRepeatNgram?: number;
  /** Return attention weights per hypothesis (target × source). Default true. */
  returnAttention?: boolean;
}

/**
 * The search's defaults, the values SearchOptions documents: greedy and beam search fill an unset option from
 * here (searchSettings) and nowhere else. (@parley/core's translation defaults differ on purpose, e.g. α = 1.)
 */
export const SEARCH_DEFAULTS: Readonly<Omit<SearchSettings, 'minLengthRatio' | 'maxLengthRatio'>> = {
  beamSize: 5,
  nBest: 1,
  alpha: 0,
  minLength: 0,
  maxLength: 100,
  noRepeatNgram: 0,
  returnAttention: true,
};

/** SearchOptions with every default filled in (the ratios have none: unset means no ratio bound). */
export type SearchSettings = Required<Omit<SearchOptions, 'minLengthRatio' | 'maxLengthRatio'>> &
  Pick<SearchOptions, 'minLengthRatio' | 'maxLengthRatio'>;

/** `opts` with SEARCH_DEFAULTS for what it leaves unset. */
export function searchSettings(opts: SearchOptions): SearchSettings {
  const d = SEARCH_DEFAULTS;
  return {
    beamSize: opts.beamSize ?? d.beamSize,
    nBest: opts.nBest ?? d.nBest,
    alpha: opts.alpha ?? d.alpha,
    minLength: opts.minLength ?? d.minLength,
    maxLength: opts.maxLength ?? d.maxLength,
    noRepeatNgram: opts.noRepeatNgram ?? d.noRepeatNgram,
    returnAttention: opts.returnAttention ?? d.returnAttention,
    minLengthRatio: opts.minLengthRatio,
    maxLengthRatio: opts.maxLengthRatio,
  };
}

/** What to search: the model, its per-sentence initial state and the special tokens. */
export interface SearchInput {
  model: StepModel;
  /** State with one row per sentence (the search tiles it over beams). Not disposed by the search. */
  initialState: SearchState;
  /** Source lengths in tokens, one per sentence (for length ratios and attention trimming). */
  srcLengths: number[];
  /** Begin-of-sentence id fed at the first step. */
  bos: number;
  /** End-of-sentence id: a hypothesis that emits it is finished. */
  eos: number;
}

/** One output hypothesis. */
export interface Hypothesis {
  /** Output token ids, EOS excluded. */
  tokens: number[];
  /** Sum of token log-probabilities, EOS included when the hypothesis finished. */
  logProb: number;
  /** The ranking score: logProb divided by the length penalty. */
  score: number;
  /** Attention weights [target token (EOS included when emitted)][source token], trimmed to the source length. */
  attention?: number[][];
}
