// Streaming generation over any model that exposes a step function. Each step feeds one new token
// per row and reuses the model's state, so a generated token costs O(1) model work (no window is
// re-fed). N samples run as one batch. Tokens are yielded as soon as they are chosen.
import {
  applyProcessors,
  argmax,
  banTokens,
  minLength,
  minP,
  noRepeatNgram,
  repetitionPenalty,
  sampleToken,
  temperature,
  topKFilter,
  topP,
  typicalP,
  type LogitsProcessor,
} from './processors';
import { createRng, randomSeed } from '@parley/engine';

/** A model seen as `tokens, state → logits, state`. */
export interface SamplingModel<S> {
  /** Size of the vocabulary (length of one logits row). */
  readonly vocabSize: number;
  /**
   * Feeds `tokens[row]` (every row the same length, at least 1) after `state` (`undefined` = a fresh
   * start) and returns the logits for the token after the last one fed, as one array of
   * `batch × vocabSize` numbers, with the new state. The caller never uses the old state again, so `step` may free it.
   */
  step(tokens: number[][], state: S | undefined): Promise<{ logits: Float32Array; state: S }>;
  /** Frees a state that will not be used again. */
  disposeState?(state: S): void;
}

/**
 * Sampling settings. Every field is optional; an unset one takes its value from SAMPLING_DEFAULTS (which sample
 * plainly from the model).
 */
export interface SamplingOptions {
  /** Stop after this many new tokens. Default 200. */
  maxNewTokens?: number;
  /** Ban the end tokens until this many tokens were generated. Default 0. */
  minNewTokens?: number;
  /** Softmax temperature; 0 means greedy (always the most likely token). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 disables. Default 0. */
  topK?: number;
  /** Nucleus sampling: keep the most likely tokens up to this much probability; 1 disables. Default 1. */
  topP?: number;
  /** Locally typical sampling mass; 1 disables. Default 1. */
  typicalP?: number;
  /** Drop tokens less likely than minP × the top token; 0 disables. Default 0. */
  minP?: number;
  /** Penalty for tokens already in the row (prompt included), Hugging Face's definition; 1 disables. Default 1. */
  repetitionPenalty?: number;
  /** Only the last N tokens count for the repetition penalty; 0 = all. Default 0. */
  repetitionWindow?: number;
  /** Never repeat an n-gram of this size; 0 disables. Default 0. */
  noRepeatNgramSize?: number;
  /** Token ids never generated. Default none. */
  bannedTokens?: number[];
  /** Token ids that end a sample (yielded with `done: 'eos'`). Default none. */
  eosIds?: number[];
  /** A sample ends once its generated text contains one of these (needs `decode`). Default none. */
  stopStrings?: string[];
  /** Turns one token id into its text, for stop strings. */
  decode?: (token: number) => string;
  /** Seed of the random generator: the same seed and settings reproduce the same samples. Default: random. */
  seed?: number;
  /** Number of samples drawn together as one batch. Default 1. */
  samples?: number;
  /** Extra processors, run after the built-in ones and before temperature. Default none. */
  processors?: LogitsProcessor[];
}

/** SamplingOptions with every default filled in (`decode` has none; the seed is drawn when unset). */
export type SamplingSettings = Required<Omit<SamplingOptions, 'decode'>> & Pick<SamplingOptions, 'decode'>;

/**
 * generate()'s defaults, the values SamplingOptions documents: generate() and processorsFor fill an unset option
 * from here (samplingSettings) and nowhere else. The seed's default is a new random one (randomSeed).
 * (@parley/core's char-LM defaults, CHAR_SAMPLING_DEFAULTS, differ on purpose, e.g. temperature 0.7, and its
 * resolveCharSampling layers the model's manifest and the caller over them.)
 */
export const SAMPLING_DEFAULTS: Readonly<Omit<SamplingSettings, 'decode' | 'seed'>> = {
  maxNewTokens: 200,
  minNewTokens: 0,
  temperature: 1,
  topK: 0,
  topP: 1,
  typicalP: 1,
  minP: 0,
  repetitionPenalty: 1,
  repetitionWindow: 0,
  noRepeatNgramSize: 0,
  bannedTokens: [],
  eosIds: [],
  stopStrings: [],
  samples: 1,
  processors: [],
};

/** `opts` with SAMPLING_DEFAULTS for what it leaves unset (lists are fresh copies), and a new random seed when it sets none. */
export function samplingSettings(opts: SamplingOptions): SamplingSettings {
  const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as SamplingOptions;
  const d = SAMPLING_DEFAULTS;
  const lists = {
    bannedTokens: [...d.bannedTokens],
    eosIds: [...d.eosIds],
    stopStrings: [...d.stopStrings],
    processors: [...d.processors],
  };
  return { ...d, ...lists, ...given, seed: given.seed ?? randomSeed() };
}

/** One generated token. */
export interface GeneratedToken {
  /** Which sample (row) it belongs to, 0 … samples-1. */
  sample: number;
  /** The token id. */
  token: number;
  /** Its position among the sample's generated tokens (0 = first). */
  index: number;
  /** Set on a sample's last token: why it ended. */
  done?: 'eos' | 'stop' | 'length';
}

/** The processors SamplingOptions describe, in the order they run (filters after temperature). */
export function processorsFor(options: SamplingOptions): LogitsProcessor[] {
  return settingsProcessors(samplingSettings(options));
}

/** processorsFor on settings already resolved (generate() resolves them once). */
function settingsProcessors(opts: SamplingSettings): LogitsProcessor[] {
  const list: LogitsProcessor[] = [];
  if (opts.repetitionPenalty !== 1) list.push(repetitionPenalty(opts.repetitionPenalty, opts.repetitionWindow));
  if (opts.noRepeatNgramSize) list.push(noRepeatNgram(opts.noRepeatNgramSize));
  if (opts.bannedTokens.length) list.push(banTokens(opts.bannedTokens));
  if (opts.minNewTokens && opts.eosIds.length) list.push(minLength(opts.minNewTokens, opts.eosIds));
  list.push(...opts.processors);
  const t = opts.temperature;
  if (t > 0 && t !== 1) list.push(temperature(t));
  if (opts.topK) list.push(topKFilter(opts.topK));
  if (opts.topP < 1) list.push(topP(opts.topP));
  if (opts.typicalP < 1) list.push(typicalP(opts.typicalP));
  if (opts.minP) list.push(minP(opts.minP));
  return list;
}

/**
 * Generates `samples` continuations of `prompt` (token ids, at least one), yielding tokens as they
 * are made. Unset options take SAMPLING_DEFAULTS (samplingSettings). Breaking out of the loop stops generation and frees the model state.
 */
export async function* generate<S>(
  model: SamplingModel<S>,
  prompt: readonly number[],
  options: SamplingOptions = {},
): AsyncGenerator<GeneratedToken> {
  if (prompt.length === 0)
    throw new Error('generate: the prompt must have at least one token (e.g. a start or newline token)');
  const opts = samplingSettings(options);
  const n = opts.samples;
  const maxNew = opts.maxNewTokens;
  const greedy = opts.temperature === 0;
  const processors = settingsProcessors(opts);
  const rng = createRng(opts.seed);
  const eos = new Set(opts.eosIds);
  const stops = opts.stopStrings;
  if (stops.length && !opts.decode) throw new Error('generate: stopStrings need a decode function');
  const maxStop = Math.max(0, ...stops.map((s) => s.length));

  const rows = Array.from({ length: n }, () => ({ tokens: [...prompt], generated: 0, text: '', done: false }));
  let { logits, state } = await model.step(
    rows.map((r) => [...r.tokens]),
    undefined,
  );
  try {
    while (maxNew > 0) {
      const V = model.vocabSize;
      const next: number[] = [];
      const events: GeneratedToken[] = [];
      for (let r = 0; r < n; r++) {
        const row = rows[r]!;
        if (row.done) {
          next.push(row.tokens[row.tokens.length - 1]!);
          continue;
        }
        const l = logits.slice(r * V, (r + 1) * V);
        applyProcessors(l, processors, { tokens: row.tokens, generated: row.generated });
        const token = greedy ? argmax(l) : sampleToken(l, rng.next());
        row.tokens.push(token);
        row.generated += 1;
        const ev: GeneratedToken = { sample: r, token, index: row.generated - 1 };
        if (eos.has(token)) ev.done = 'eos';
        else if (stops.length) {
          const piece = opts.decode!(token);
          row.text = (row.text + piece).slice(-(maxStop + piece.length));
          if (stops.some((s) => row.text.includes(s))) ev.done = 'stop';
        }
        if (!ev.done && row.generated >= maxNew) ev.done = 'length';
        if (ev.done) row.done = true;
        next.push(token);
        events.push(ev);
      }
      for (const ev of events) yield ev;
      if (rows.every((r) => r.done)) break;
      const out = await model.step(
        next.map((t) => [t]),
        state,
      );
      logits = out.logits;
      state = out.state;
    }
  } finally {
    model.disposeState?.(state);
  }
}
