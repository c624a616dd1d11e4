// Attention encoder-decoders: model, training, translation, model directories.
export * from './model-config';
export { Seq2seqModel } from './model';
export type { Seq2seqBatch, BatchLoss } from './model';
export * from './config';
export { loadData, readPairFile } from './data';
export type { Seq2seqData } from './data';
export { trainTokenizer, storeTokenizer, restoreTokenizer, SPM_FILE } from './tokenizers';
export type { StoredTokenizer } from './tokenizers';
export { saveSeq2seq, loadSeq2seq, SEQ2SEQ_VERSION } from './io';
export type { LoadedSeq2seq, SaveOptions } from './io';
export {
  Translator,
  searchOptionsFrom,
  resolveTranslateOptions,
  manifestTesting,
  TRANSLATE_DEFAULTS,
} from './translator';
export type { TranslateOptions, ResolvedTranslateOptions, Translation, TranslationResult } from './translator';
export { trainSeq2seq, bestCheckpointDirs } from './train';
export type { TrainOptions, TrainResult, Validation } from './train';
export { LrSchedule } from './schedule';
export { corpusScores } from './scoring';
export type { CorpusScores } from './scoring';
export { smoothedCrossEntropy } from './loss';
export { loadPretrained, tokenString } from './pretrained';
export { averageSeq2seq } from './average';
export { Seq2seqGradients } from './parallel';
