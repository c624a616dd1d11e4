// The char-LM as the CLI and the app use it: stream characters of a continuation, or of a character's reply in a
// conversation laid out as the model was trained (`Speaker: text` per line). Sampling is @parley/decode's
// `generate`; settings resolve in resolveCharSampling and become its options in charLmSampling, so `parley
// generate`, `parley chat`, the Chat screen and the Train screen's samples draw the same text for the same settings.
import { generate, SAMPLING_DEFAULTS, type SamplingOptions } from '@parley/decode';
import { BOS_ID, EOS_ID, PAD_ID, UNK_ID } from '@parley/text';
import { turnLine } from './data';
import type { CharLm } from './model-dir';

/** Sampling settings for char-LM generation (see SamplingOptions; ids are replaced by text where useful). */
export interface CharSamplingOptions extends Omit<SamplingOptions, 'decode' | 'bannedTokens' | 'eosIds' | 'samples'> {
  /** Characters the model must never produce. Default none (unk and the reserved ids are always banned). */
  bannedChars?: string[];
}

/** The sampling settings a user adjusts (the CLI's flags, the Chat screen's controls). */
export type CharSamplingSettings = Required<
  Pick<
    CharSamplingOptions,
    'temperature' | 'topK' | 'topP' | 'minP' | 'typicalP' | 'repetitionPenalty' | 'maxNewTokens'
  >
>;

/**
 * The library's char-LM sampling defaults (what `parley generate`, `parley chat` and the Chat screen start from):
 * @parley/decode's SAMPLING_DEFAULTS with a cooler temperature, a nucleus and a repetition penalty.
 */
export const CHAR_SAMPLING_DEFAULTS: CharSamplingSettings = {
  temperature: 0.7,
  topK: SAMPLING_DEFAULTS.topK,
  topP: 0.95,
  minP: SAMPLING_DEFAULTS.minP,
  typicalP: SAMPLING_DEFAULTS.typicalP,
  repetitionPenalty: 1.1,
  maxNewTokens: SAMPLING_DEFAULTS.maxNewTokens,
};

/**
 * The one place char-LM sampling settings are resolved, in this order: the library's defaults, then the
 * model's recommended settings (a `sampling` section in its manifest, when it has one), then the caller's
 * options (undefined ones fall through).
 */
export function resolveCharSampling(
  lm: { manifest?: CharLm['manifest'] } | undefined,
  caller: CharSamplingOptions = {},
): CharSamplingOptions & CharSamplingSettings {
  const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const model = ((lm?.manifest as { sampling?: Partial<CharSamplingSettings> } | undefined)?.sampling ?? {}) as object;
  return { ...CHAR_SAMPLING_DEFAULTS, ...defined(model), ...defined(caller) } as CharSamplingOptions &
    CharSamplingSettings;
}

/** Ids a char-LM never generates: padding, unknown, begin and end of sequence. */
const RESERVED = [PAD_ID, UNK_ID, BOS_ID, EOS_ID];

/**
 * A char-LM as generation needs it: the network and tokenizer, and the manifest when there is one (a training
 * checkpoint has none; its sampling settings are then the library's).
 */
export type SamplingCharLm = Pick<CharLm, 'net' | 'tokenizer'> & { manifest?: CharLm['manifest'] };

/**
 * @parley/decode's `generate` options for a char-LM: the settings resolved by resolveCharSampling, the reserved
 * ids and `bannedChars` banned, and the tokenizer's decode for stop strings. `samples` rows are drawn as one batch.
 */
export function charLmSampling(
  lm: SamplingCharLm,
  opts: CharSamplingOptions & { samples?: number } = {},
): SamplingOptions {
  const banned = [
    ...RESERVED,
    ...(opts.bannedChars ?? []).map((c) => lm.tokenizer.vocab.id(c)).filter((id) => id !== UNK_ID),
  ];
  return { ...resolveCharSampling(lm, opts), bannedTokens: banned, decode: (id) => lm.tokenizer.decode([id]) };
}

/** The token ids `parley generate` and generateChars feed for `prime` (an empty prime is a newline, a turn's start). */
export function primeIds(lm: Pick<CharLm, 'tokenizer'>, prime: string): number[] {
  return lm.tokenizer.encode(prime.length ? prime : '\n');
}

/**
 * Streams the characters that follow `prime` (default: a newline, i.e. the start of a turn). Ends after
 * `maxNewTokens` characters or at a stop string (which is yielded too); settings resolve through resolveCharSampling.
 */
export async function* generateChars(
  lm: SamplingCharLm,
  prime = '\n',
  opts: CharSamplingOptions = {},
): AsyncGenerator<string> {
  for await (const t of generate(lm.net, primeIds(lm, prime), charLmSampling(lm, opts)))
    yield lm.tokenizer.decode([t.token]);
}

/** One turn of a conversation. */
export interface ChatTurn {
  speaker: string;
  text: string;
}

/** Options of chatReply. */
export interface ChatOptions extends CharSamplingOptions {
  /** Who replies. Default `Sheldon`. */
  as?: string;
  /**
   * The conversation's seed: the reply that follows n replies of `as` draws with `seed + n` (S, S+1, …; see
   * replySeed), so each reply of a conversation has its own random draws and the same seed and conversation give
   * the same reply. Default: a new random seed for every reply.
   */
  seed?: number;
  /** Most characters of the conversation fed as context (older turns are dropped). Default 2000. */
  contextChars?: number;
}

/** The text fed to the model before a reply: the turns, then `Speaker: `. */
export function chatPrompt(history: readonly ChatTurn[], as: string, contextChars = 2000): string {
  let context = '';
  for (let i = history.length - 1; i >= 0; i--) {
    const line = turnLine(history[i]!.speaker, history[i]!.text.replace(/\s+/g, ' ').trim());
    if (context.length + line.length > contextChars && context) break;
    context = line + context;
  }
  return `\n${context}${as}: `;
}

/**
 * The one seed-advance rule of a conversation (`parley chat --seed`, the Chat screen): the seed `as`'s next reply
 * draws with is the conversation's seed plus the number of turns `as` has had, so replaying a conversation with
 * the same seed replays its replies, and no two replies of it reuse one seed's draws. Undefined stays undefined.
 */
export function replySeed(seed: number | undefined, history: readonly ChatTurn[], as: string): number | undefined {
  return seed === undefined ? undefined : seed + history.filter((t) => t.speaker === as).length;
}

/**
 * Streams the characters of `as`'s reply (default Sheldon) to the conversation so far, up to the end of
 * the line (the newline is not yielded). Settings resolve through resolveCharSampling; the seed is the
 * conversation's (see replySeed).
 */
export async function* chatReply(
  lm: SamplingCharLm,
  history: readonly ChatTurn[],
  opts: ChatOptions = {},
): AsyncGenerator<string> {
  const as = opts.as ?? 'Sheldon';
  const prompt = chatPrompt(history, as, opts.contextChars);
  const seed = replySeed(opts.seed, history, as);
  const stopStrings = ['\n', ...(opts.stopStrings ?? [])];
  for await (const ch of generateChars(lm, prompt, { ...opts, seed, stopStrings })) {
    if (ch === '\n') return;
    yield ch;
  }
}
