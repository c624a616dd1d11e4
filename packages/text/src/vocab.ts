// A vocabulary: the bijection between tokens and integer ids, with four reserved ids.
import { errorMessage } from '@parley/engine/errors';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic';

/** Id of the padding token. Always 0, so zero-filled tensors are padding. */
export const PAD_ID = 0;
/** Id of the unknown token (anything not in the vocabulary). */
export const UNK_ID = 1;
/** Id of the begin-of-sequence token. */
export const BOS_ID = 2;
/** Id of the end-of-sequence token. */
export const EOS_ID = 3;
/** The reserved tokens, in id order 0..3. */
export const SPECIAL_TOKENS = ['<pad>', '<unk>', '<s>', '</s>'] as const;

/** Format name and version written into every saved vocabulary. */
export const VOCAB_FORMAT = 'parley-vocab';
export const VOCAB_VERSION = 1;

/** The JSON form of a vocabulary (`Vocab.toJSON`). */
export interface VocabJSON {
  format: typeof VOCAB_FORMAT;
  version: number;
  /** Every token in id order; the first four are `SPECIAL_TOKENS`. */
  tokens: string[];
}

/** Options for `Vocab.fromCounts`. */
export interface VocabBuildOptions {
  /** Tokens seen fewer times than this are left out (and so map to unk). Default 1. */
  minCount?: number;
  /** Largest vocabulary size, reserved tokens included; the most frequent tokens are kept. Default unlimited. */
  maxSize?: number;
}

/** Maps tokens to ids and back. Ids 0..3 are pad, unk, bos, eos; unknown tokens map to `UNK_ID`. */
export class Vocab {
  readonly pad = PAD_ID;
  readonly unk = UNK_ID;
  readonly bos = BOS_ID;
  readonly eos = EOS_ID;
  private readonly tokens: string[];
  private readonly ids = new Map<string, number>();

  /** Builds a vocabulary from the ordinary tokens (the reserved ones are added in front). Duplicates, or a reserved token, are an error. */
  constructor(tokens: Iterable<string>) {
    this.tokens = [...SPECIAL_TOKENS];
    this.tokens.forEach((t, i) => this.ids.set(t, i));
    for (const t of tokens) {
      if (this.ids.has(t))
        throw new Error(`Vocab: duplicate token ${JSON.stringify(t)} (the reserved tokens are added for you)`);
      this.ids.set(t, this.tokens.length);
      this.tokens.push(t);
    }
  }

  /** Builds a vocabulary from token counts: most frequent first, ties broken by code-point order (deterministic). */
  static fromCounts(counts: Map<string, number>, options: VocabBuildOptions = {}): Vocab {
    const minCount = options.minCount ?? 1;
    const maxOrdinary = (options.maxSize ?? Infinity) - SPECIAL_TOKENS.length;
    const kept = [...counts]
      .filter(([t, c]) => c >= minCount && !(SPECIAL_TOKENS as readonly string[]).includes(t))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, Math.max(0, maxOrdinary))
      .map(([t]) => t);
    return new Vocab(kept);
  }

  /** Number of ids, reserved ones included. */
  get size(): number {
    return this.tokens.length;
  }

  /** The id of `token`, or `UNK_ID` when it is not in the vocabulary. */
  id(token: string): number {
    return this.ids.get(token) ?? UNK_ID;
  }

  /** Whether `token` has its own id. */
  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** The token of `id`; throws on an id outside the vocabulary. */
  token(id: number): string {
    const t = this.tokens[id];
    if (t === undefined) throw new Error(`Vocab: id ${id} out of range 0..${this.tokens.length - 1}`);
    return t;
  }

  /** Ids of a token sequence. */
  encode(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.id(t));
  }

  /** Tokens of an id sequence. */
  decode(ids: ArrayLike<number>): string[] {
    return Array.from(ids, (i) => this.token(i));
  }

  /** Every token in id order (a copy). */
  list(): string[] {
    return this.tokens.slice();
  }

  /** The versioned JSON form. */
  toJSON(): VocabJSON {
    return { format: VOCAB_FORMAT, version: VOCAB_VERSION, tokens: this.tokens.slice() };
  }

  /** Reads the JSON form; rejects other formats, newer versions and a wrong reserved-token layout. */
  static fromJSON(json: unknown, source = 'vocabulary'): Vocab {
    const j = json as Partial<VocabJSON> | null;
    if (!j || j.format !== VOCAB_FORMAT) throw new Error(`${source}: not a ${VOCAB_FORMAT} file`);
    if (typeof j.version !== 'number' || j.version > VOCAB_VERSION)
      throw new Error(
        `${source}: ${VOCAB_FORMAT} version ${String(j.version)} is not supported (this Parley reads up to ${VOCAB_VERSION})`,
      );
    if (!Array.isArray(j.tokens) || !j.tokens.every((t) => typeof t === 'string'))
      throw new Error(`${source}: "tokens" must be an array of strings`);
    if (SPECIAL_TOKENS.some((t, i) => j.tokens![i] !== t))
      throw new Error(`${source}: the first tokens must be ${SPECIAL_TOKENS.join(' ')}`);
    return new Vocab(j.tokens.slice(SPECIAL_TOKENS.length));
  }

  /** Writes the JSON form to `path` (atomically: temp file then rename). */
  save(path: string): void {
    writeFileAtomic(path, JSON.stringify(this.toJSON()) + '\n');
  }

  /** Reads a vocabulary written by `save`. */
  static load(path: string): Vocab {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`${path}: cannot read vocabulary: ${errorMessage(e)}`);
    }
    return Vocab.fromJSON(json, path);
  }
}
