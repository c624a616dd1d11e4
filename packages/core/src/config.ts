// Training configs of every kind: a YAML file's top-level `kind:` picks its schema (charlm, seq2seq, classifier, embeddings), and
// loadTrainingConfig is the one entry point `parley train`, `parley test` and the app's Train screen use.
import { configError, readConfigFile, type ConfigParser } from './common/schema';
import { parseCharLmConfig, type CharLmConfig } from './charlm/config';
import { parseSeq2seqConfig, type Seq2seqConfig } from './seq2seq/config';
import { parseClassifierConfig, type ClassifierConfig } from './classifier/config';
import { parseEmbeddingsConfig, type EmbeddingsConfig } from './embeddings/config';

/** A training config of any kind, discriminated by `kind`. */
export type TrainingConfigFile = CharLmConfig | Seq2seqConfig | ClassifierConfig | EmbeddingsConfig;

/** Each kind's check of a parsed config. */
const PARSERS: Record<TrainingConfigFile['kind'], ConfigParser<TrainingConfigFile>> = {
  charlm: parseCharLmConfig,
  seq2seq: parseSeq2seqConfig,
  classifier: parseClassifierConfig,
  embeddings: parseEmbeddingsConfig,
};

/** The kinds a config file may declare. */
export const CONFIG_KINDS = Object.keys(PARSERS) as TrainingConfigFile['kind'][];

/** Reads a YAML config and its `kind:`, with a clear error when it is missing or unknown or the file is not YAML. */
function readKind(path: string, sharedDir: string) {
  const { raw, ctx } = readConfigFile(path, sharedDir);
  const kind = (raw as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string') throw configError(ctx, [], `missing top-level "kind:" (${CONFIG_KINDS.join(' or ')})`);
  if (!(kind in PARSERS))
    throw configError(ctx, ['kind'], `unknown kind "${kind}" (expected ${CONFIG_KINDS.join(' or ')})`);
  return { raw, ctx, kind: kind as TrainingConfigFile['kind'] };
}

/** The `kind:` of a YAML config (errors as loadTrainingConfig's). */
export function configKind(path: string): TrainingConfigFile['kind'] {
  return readKind(path, '.').kind;
}

/**
 * Loads a training config of any kind. `sharedDir` is what `${shared}` in its paths stands for; other
 * relative paths resolve against the config file's directory.
 */
export function loadTrainingConfig(path: string, sharedDir: string): TrainingConfigFile {
  const { raw, ctx, kind } = readKind(path, sharedDir);
  return PARSERS[kind](raw, ctx);
}
