// The interface every Parley tokenizer implements, so models can take any of them.

/** Turns text into ids and back. Ids follow the shared layout: pad 0, unk 1, bos 2, eos 3. */
export interface Tokenizer {
  /** Number of ids (reserved ones included): the size of an embedding table. */
  readonly vocabSize: number;
  /** Ids of `text`, without bos/eos (add `BOS_ID`/`EOS_ID` yourself where a model needs them). */
  encode(text: string): number[];
  /** Text of `ids`; pad, bos and eos are dropped, unk becomes `UNK_TEXT`. */
  decode(ids: ArrayLike<number>): string;
}

/** What an unknown id decodes to (the same mark SentencePiece uses). */
export const UNK_TEXT = '\u2047';

/** Unicode normalization forms a tokenizer may apply before encoding; 'none' keeps text as is. */
export type NormalizationForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD' | 'none';

/** Applies a normalization form. */
export function normalizeText(text: string, form: NormalizationForm): string {
  return form === 'none' ? text : text.normalize(form);
}
