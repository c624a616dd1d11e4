// @parley/text public API: vocabularies, tokenizers, corpus readers, dataset preparation and batching.
export { Vocab, PAD_ID, UNK_ID, BOS_ID, EOS_ID, SPECIAL_TOKENS, VOCAB_FORMAT, VOCAB_VERSION } from './vocab';
export type { VocabJSON, VocabBuildOptions } from './vocab';
export type { Tokenizer, NormalizationForm } from './tokenizer';
export { UNK_TEXT, normalizeText } from './tokenizer';
export { CharTokenizer, CHAR_TOKENIZER_FORMAT, CHAR_TOKENIZER_VERSION } from './char';
export type { CharTrainOptions, CharTokenizerJSON } from './char';
export { CorpusError, ReadReport, readLines } from './lines';
export type { ReaderOptions, Line } from './lines';
export { readPairs, readParallel, readText, readDialogue, collect } from './readers';
export type { Pair, PairReaderOptions, TextReaderOptions, Utterance } from './readers';
export { dedupe, filterByLength, splitDataset, heldOutKey, loadHeldOut, removeHeldOut } from './prep';
export type { LengthFilter, Split, SplitOptions } from './prep';
export { makeBatches, padSequences, batchTensors, exampleLength } from './batch';
export type { Example, BatchOptions, Padded, PadOptions, BatchTensorOptions, BatchTensors } from './batch';
export { seededRandom, shuffled } from './random';
export { writeFileAtomic } from './fs';
