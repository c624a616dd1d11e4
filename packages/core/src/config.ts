// Training configs of every kind: a YAML file's top-level `kind:` picks its schema (charlm, seq2seq, classifier, embeddings), and
// loadTrainingConfig is the one entry point `parley train`, `parley test` and the app's Train screen use.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { loadCharLmConfig, type CharLmConfig } from './charlm/config';
import { loadConfig as loadSeq2seqConfig, type Seq2seqConfig } from './seq2seq/config';
import { loadClassifierConfig, type ClassifierConfig } from './classifier/config';
import { loadEmbeddingsConfig, type EmbeddingsConfig } from './embeddings/config';

/** A training config of any kind, discriminated by `kind`. */
export type TrainingConfigFile = CharLmConfig | Seq2seqConfig | ClassifierConfig | EmbeddingsConfig;

/** The kinds a config file may declare. */
export const CONFIG_KINDS = ['charlm', 'seq2seq', 'classifier', 'embeddings'] as const;

/** The `kind:` of a YAML config, with a clear error when it is missing or the file is not YAML. */
export function configKind(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`${path}: cannot read the config file`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new Error(`${path}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  const raw = doc.toJS() as { kind?: unknown } | null;
  if (!raw || typeof raw.kind !== 'string')
    throw new Error(`${path}: missing top-level "kind:" (${CONFIG_KINDS.join(' or ')})`);
  return raw.kind;
}

/**
 * Loads a training config of any kind. `sharedDir` is what `${shared}` in its paths stands for; other
 * relative paths resolve against the config file's directory.
 */
export function loadTrainingConfig(path: string, sharedDir: string): TrainingConfigFile {
  const kind = configKind(path);
  if (kind === 'charlm') return loadCharLmConfig(path, sharedDir);
  if (kind === 'seq2seq') return loadSeq2seqConfig(path, sharedDir);
  if (kind === 'classifier') return loadClassifierConfig(path, sharedDir);
  if (kind === 'embeddings') return loadEmbeddingsConfig(path, sharedDir);
  throw new Error(`${path}: unknown kind "${kind}" (expected ${CONFIG_KINDS.join(' or ')})`);
}
