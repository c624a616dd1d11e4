// @parley/metrics: sacreBLEU 2.6.0-exact BLEU, chrF/chrF++ and TER, with sacreBLEU's signatures,
// formatting and significance tests, and the report behind `parley eval`.
export { Metric, Score, Signature, SACREBLEU_VERSION, sumOfLists } from './base';
export type { FormatOptions, RefStreams } from './base';
export { BLEU, BLEUScore, SMOOTH_DEFAULTS } from './bleu';
export type { BLEUOptions, SmoothMethod } from './bleu';
export { CHRF, CHRFScore } from './chrf';
export type { CHRFOptions } from './chrf';
export { TER, TERScore } from './ter';
export type { TEROptions } from './ter';
export { TercomTokenizer } from './tercom';
export type { TercomOptions } from './tercom';
export {
  getTokenizer,
  tokenize13a,
  tokenizeIntl,
  tokenizeChar,
  tokenizeNone,
  tokenizeZh,
  TOKENIZERS,
} from './tokenizers';
export type { Tokenizer, TokenizerName } from './tokenizers';
export { bootstrapResample, estimateCi, pairedTest, defaultSeed } from './significance';
export type { PairedResult, PairedTestOptions, PairedTestOutput } from './significance';
export { Generator, PCG64 } from './pcg64';
export { pyFixed, pyRepr, pySplit } from './python';
export { evaluate, makeMetric, METRIC_KEYS } from './report';
export type { EvalOptions, EvalReport, MetricInfo, MetricKey, SystemInput } from './report';
export { formatReport, fancyGrid } from './cli-format';
export type { PrintOptions } from './cli-format';
export {
  accuracyScore,
  classificationReport,
  confusionMatrix,
  f1Score,
  formatClassificationReport,
  multiLabelIndicator,
  precisionRecallFscore,
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
  uniqueLabels,
} from './classification';
export type {
  AveragedScores,
  Average,
  ClassificationReport,
  ClassLabel,
  ConfusionMatrix,
  LabelIndicator,
  PerClassScores,
  ReportRow,
  ScoreOptions,
  Targets,
  ZeroDivision,
} from './classification';
export { auc, rocAucScore, rocCurve } from './roc';
export type { RocCurve, RocOptions } from './roc';
