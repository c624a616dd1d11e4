// Translating text with a seq2seq model: tokenize, batch by source tokens, greedy or beam search, detokenize.
// This is the API the CLI and the terminal app use: load a model directory, translate sentences, and get
// n-best lists with scores and the attention matrix (source tokens × target tokens) of each hypothesis.
import * as tf from '@tensorflow/tfjs';
import {
  beamSearch,
  disposeState,
  generate,
  greedySearch,
  replaceUnknown,
  SEARCH_DEFAULTS,
  selectRows,
  type SamplingModel,
  type SamplingOptions,
  type SearchOptions,
  type SearchState,
} from '@parley/decode';
import { BOS_ID, EOS_ID, PAD_ID, UNK_ID, UNK_TEXT, type Tokenizer } from '@parley/text';
import { DEFAULT_TESTING, type TestingConfig } from './config';
import { loadSeq2seq, type LoadedSeq2seq } from './io';
import type { Seq2seqModel } from './model';

export interface TranslateOptions extends SearchOptions {
  /** Source tokens (padding included) per decoding batch. Default 2000. */
  batchTokens?: number;
  /** Longer sources are cut to this many tokens. Default 250. */
  maxSourceLength?: number;
  /** Replace each unknown output token by the source token it attends to most (Luong et al. 2015). Default true. */
  replaceUnk?: boolean;
}

/** One hypothesis of a translation. */
export interface Translation {
  /** Detokenized output. */
  text: string;
  /** Length-penalised score (what ranks the n-best list). */
  score: number;
  /** Sum of log-probabilities (natural log). */
  logProb: number;
  /** Output tokens as text, EOS excluded. */
  tokens: string[];
  /** Attention [target token][source token] (target rows include the final EOS step). */
  attention: number[][];
}

/** The n-best translations of one sentence. */
export interface TranslationResult {
  source: string;
  /** Source tokens as text (the columns of each attention matrix). */
  sourceTokens: string[];
  /** Best first; empty for an empty source. */
  hypotheses: Translation[];
}

/** The testing section of a config as search options. */
export function searchOptionsFrom(t: Partial<TestingConfig>): TranslateOptions {
  const o: TranslateOptions = {};
  if (t.beamSize !== undefined) o.beamSize = t.beamSize;
  if (t.alpha !== undefined) o.alpha = t.alpha;
  if (t.maxLength !== undefined) o.maxLength = t.maxLength;
  if (t.maxLengthRatio !== undefined) o.maxLengthRatio = t.maxLengthRatio;
  if (t.noRepeatNgram !== undefined) o.noRepeatNgram = t.noRepeatNgram;
  if (t.batchTokens !== undefined) o.batchTokens = t.batchTokens;
  return o;
}

/** Translation settings with every default filled in. */
export type ResolvedTranslateOptions = Required<Omit<TranslateOptions, 'minLength' | 'minLengthRatio'>> &
  Pick<TranslateOptions, 'minLength' | 'minLengthRatio'>;

/** The library's defaults: what a model without a `testing` section and a caller without options get. */
export const TRANSLATE_DEFAULTS: ResolvedTranslateOptions = {
  beamSize: DEFAULT_TESTING.beamSize,
  nBest: SEARCH_DEFAULTS.nBest,
  alpha: DEFAULT_TESTING.alpha,
  maxLength: DEFAULT_TESTING.maxLength,
  maxLengthRatio: DEFAULT_TESTING.maxLengthRatio,
  noRepeatNgram: DEFAULT_TESTING.noRepeatNgram,
  batchTokens: DEFAULT_TESTING.batchTokens,
  maxSourceLength: 250,
  replaceUnk: true,
  returnAttention: SEARCH_DEFAULTS.returnAttention,
};

/**
 * The one place translation settings are resolved, in this order: the library's defaults, then the model's
 * recommended settings (its manifest's `testing` section, written from the training config), then the
 * caller's options. `parley translate`, `parley test`, the app and the library API all go through it.
 */
export function resolveTranslateOptions(
  model: Partial<TestingConfig> | undefined,
  caller: TranslateOptions = {},
): ResolvedTranslateOptions {
  const defined = (o: TranslateOptions) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as TranslateOptions;
  return { ...TRANSLATE_DEFAULTS, ...defined(searchOptionsFrom(model ?? {})), ...defined(caller) };
}

/** The `testing` section stored in a model's manifest (training.config.testing), if any. */
export function manifestTesting(manifest: LoadedSeq2seq['manifest']): Partial<TestingConfig> | undefined {
  const training = manifest.training as { config?: { testing?: Partial<TestingConfig> } } | undefined;
  return training?.config?.testing;
}

export class Translator {
  constructor(
    readonly model: Seq2seqModel,
    readonly tokenizer: Tokenizer,
    /** The model's recommended settings (its manifest's `testing` section); see resolveTranslateOptions. */
    readonly testing: Partial<TestingConfig> = {},
  ) {}

  /** Loads a model directory written by `parley train` (manifest.json + weights). */
  static async load(dir: string): Promise<Translator & { manifest: LoadedSeq2seq['manifest'] }> {
    const { model, tokenizer, manifest } = await loadSeq2seq(dir);
    return Object.assign(new Translator(model, tokenizer, manifestTesting(manifest)), { manifest });
  }

  /** The settings a call with `opts` decodes with (library defaults, then the model's, then `opts`). */
  options(opts: TranslateOptions = {}): ResolvedTranslateOptions {
    return resolveTranslateOptions(this.testing, opts);
  }

  private tokenText(id: number): string {
    return this.tokenizer.decode([id]) || (id === EOS_ID ? '</s>' : '');
  }

  /** Translates one sentence. */
  async translate(sentence: string, opts: TranslateOptions = {}): Promise<TranslationResult> {
    return (await this.translateBatch([sentence], opts))[0]!;
  }

  /** Translates sentences in batches of similar length; results come back in input order. */
  async translateBatch(sentences: readonly string[], opts: TranslateOptions = {}): Promise<TranslationResult[]> {
    const o = this.options(opts);
    const maxSrc = o.maxSourceLength;
    const ids = sentences.map((s) => this.tokenizer.encode(s).slice(0, maxSrc));
    const results: TranslationResult[] = sentences.map((s, i) => ({
      source: s,
      sourceTokens: ids[i]!.map((t) => this.tokenText(t)),
      hypotheses: [],
    }));
    const order = ids
      .map((_, i) => i)
      .filter((i) => ids[i]!.length > 0)
      .sort((a, b) => ids[a]!.length - ids[b]!.length);
    const budget = o.batchTokens;
    let start = 0;
    while (start < order.length) {
      let end = start + 1;
      while (end < order.length && (end - start + 1) * ids[order[end]!]!.length <= budget) end++;
      await this.decodeBatch(order.slice(start, end), ids, results, o);
      start = end;
    }
    return results;
  }

  private async decodeBatch(
    batch: number[],
    ids: number[][],
    results: TranslationResult[],
    o: ResolvedTranslateOptions,
  ): Promise<void> {
    const S = Math.max(...batch.map((i) => ids[i]!.length));
    const flat = new Int32Array(batch.length * S).fill(PAD_ID);
    const mask = new Float32Array(batch.length * S);
    batch.forEach((i, r) => {
      flat.set(ids[i]!, r * S);
      mask.fill(1, r * S, r * S + ids[i]!.length);
    });
    const src = tf.tensor2d(flat, [batch.length, S], 'int32');
    const m = tf.tensor2d(mask, [batch.length, S]);
    const state = this.model.searchState(src, m);
    tf.dispose([src, m]);
    const input = {
      model: this.model.stepModel,
      initialState: state,
      srcLengths: batch.map((i) => ids[i]!.length),
      bos: BOS_ID,
      eos: EOS_ID,
    };
    try {
      const replaceUnk = o.replaceUnk;
      const search = { ...o, returnAttention: o.returnAttention || replaceUnk };
      const nbest = o.beamSize <= 1 ? await greedySearch(input, search) : await beamSearch(input, search);
      batch.forEach((i, r) => {
        results[i]!.hypotheses = nbest[r]!.map((h) => ({
          text: replaceUnk
            ? this.withUnkReplaced(h.tokens, h.attention ?? [], results[i]!.sourceTokens)
            : this.tokenizer.decode(h.tokens),
          score: h.score,
          logProb: h.logProb,
          tokens: h.tokens.map((t) => this.tokenText(t)),
          attention: o.returnAttention === false ? [] : (h.attention ?? []),
        }));
      });
    } finally {
      tf.dispose(Object.values(state));
    }
  }

  /**
   * Draws `opts.samples` (default 1) translations of `sentence` by sampling with @parley/decode's processors
   * (temperature, top-k, top-p, …); temperature 0 is greedy. Returns the texts, one per sample.
   */
  async sample(sentence: string, opts: SamplingOptions = {}): Promise<string[]> {
    const settings = this.options();
    const ids = this.tokenizer.encode(sentence).slice(0, settings.maxSourceLength);
    const n = opts.samples ?? 1;
    if (ids.length === 0) return Array.from({ length: n }, () => '');
    const src = tf.tensor2d([ids], [1, ids.length], 'int32');
    const mask = tf.ones([1, ids.length]) as tf.Tensor2D;
    const one = this.model.searchState(src, mask);
    tf.dispose([src, mask]);
    const start = selectRows(
      one,
      Array.from({ length: n }, () => 0),
    );
    disposeState(one);
    const model: SamplingModel<SearchState> = {
      vocabSize: this.model.cfg.vocabSize,
      step: async (tokens, state) => {
        const st = state ?? start;
        const prev = tf.tensor1d(
          tokens.map((t) => t[t.length - 1]!),
          'int32',
        );
        const out = this.model.stepModel.step(prev, st);
        prev.dispose();
        disposeState(st);
        const logits = (await out.logProbs.data()) as Float32Array;
        tf.dispose([out.logProbs, ...(out.attention ? [out.attention] : [])]);
        return { logits, state: out.state };
      },
      disposeState,
    };
    const maxLength = Math.ceil(settings.maxLengthRatio * ids.length) + 5;
    const outs: number[][] = Array.from({ length: n }, () => []);
    for await (const ev of generate(model, [BOS_ID], { maxNewTokens: maxLength, ...opts, eosIds: [EOS_ID] })) {
      if (ev.token !== EOS_ID) outs[ev.sample]!.push(ev.token);
    }
    return outs.map((o) => this.tokenizer.decode(o));
  }

  /** Decodes `tokens`, putting for each unknown token the most attended source token (decode's replaceUnknown) in place of UNK_TEXT. */
  private withUnkReplaced(tokens: number[], attention: number[][], sourceTokens: string[]): string {
    const text = this.tokenizer.decode(tokens);
    const marked = tokens.map((t) => (t === UNK_ID ? UNK_TEXT : ''));
    const fills = replaceUnknown(marked, attention, sourceTokens, UNK_TEXT).filter(
      (_, step) => tokens[step] === UNK_ID,
    );
    let k = 0;
    return fills.length ? text.replace(new RegExp(UNK_TEXT, 'g'), (m) => fills[k++] ?? m) : text;
  }

  dispose(): void {
    this.model.dispose();
  }
}
