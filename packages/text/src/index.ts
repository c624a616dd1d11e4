// @parley/text public API: vocabularies, tokenizers, corpus readers, dataset preparation and batching.
export { Vocab, PAD_ID, UNK_ID, BOS_ID, EOS_ID, SPECIAL_TOKENS, VOCAB_FORMAT, VOCAB_VERSION } from './vocab';
export type { VocabJSON, VocabBuildOptions } from './vocab';
export type { Tokenizer, NormalizationForm } from './tokenizer';
export { UNK_TEXT, normalizeText } from './tokenizer';
export { CharTokenizer, CHAR_TOKENIZER_FORMAT, CHAR_TOKENIZER_VERSION } from './char';
export type { CharTrainOptions, CharTokenizerJSON } from './char';
export { CorpusError, LineSplitter, ReadReport, readLines, readLinesFrom, readTextLines, splitLines } from './lines';
export type { ReaderOptions, Line } from './lines';
export { readPairs, readParallel, readText, readDialogue, readLabeled, collect } from './readers';
export type { Pair, PairReaderOptions, TextReaderOptions, Utterance, Labeled, LabeledReaderOptions } from './readers';
export { filterPairs, model1Scores, pairWords } from './pair-filter';
export type { PairFilterOptions, PairFilterResult, PairFilterRule, PairVerdict } from './pair-filter';
export { dedupe, filterByLength, splitDataset, heldOutKey, loadHeldOut, removeHeldOut } from './prep';
export type { LengthFilter, Split, SplitOptions } from './prep';
export { makeBatches, padSequences, batchTensors, exampleLength } from './batch';
export type { Example, BatchOptions, Padded, PadOptions, BatchTensorOptions, BatchTensors } from './batch';
export { seededRandom, shuffled } from '@parley/engine';
export * from './atomic';
export { SentencePieceTokenizer } from './sentencepiece';
export { trainBpe } from './spm/bpe';
export type { CorpusOptions } from './spm/corpus';
export type { BpeTrainOptions, BpeTrainResult } from './spm/bpe';
export { trainUnigram } from './spm/unigram';
export type { UnigramTrainOptions, UnigramTrainResult } from './spm/unigram';
export { trainSentencePiece } from './spm/train';
export type { SentencePieceTrainOptions, SentencePieceTrainResult } from './spm/train';
export { encodeModel, decodeModel, defaultTrainerSpec, PieceType, ModelType } from './spm/model';
export type { ModelProto, Piece, PieceTypeValue, TrainerSpec, NormalizerSpec } from './spm/model';
export { Normalizer, normalizerSpec, SPACE_SYMBOL } from './spm/normalizer';
export {
  WordTokenizer,
  standardize,
  splitWhitespace,
  STANDARDIZE_MODES,
  WORD_TOKENIZER_FORMAT,
  WORD_TOKENIZER_VERSION,
} from './word';
export type { Standardize, WordTrainOptions, WordTokenizerJSON } from './word';
export { loadTokenizer } from './load';
export type { PieceTokenizer } from './load';
export * from './vectors/index';
