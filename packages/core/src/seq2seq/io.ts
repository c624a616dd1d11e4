// Seq2seq model directories: manifest.json (kind seq2seq, architecture, tokenizer, training, metrics)
// and weights.bin (float32, float16 or int8 per tensor). Written file by file, each atomically.
import { join } from 'node:path';
import type { Tokenizer } from '@parley/text';
import {
  assignWeights,
  loadModelWeights,
  saveWeights,
  type JsonValue,
  type ModelManifest,
  type WeightDtype,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  readManifest,
  writeManifest,
} from '../common/index';
import { Seq2seqModel } from './model';
import { resolveModelConfig, type ModelConfig } from './model-config';
import { restoreTokenizer, storeTokenizer, type StoredTokenizer } from './tokenizers';

/** Version of the seq2seq architecture block (manifest.architecture.seq2seqVersion). */
export const SEQ2SEQ_VERSION = 1;

type Json = { [key: string]: JsonValue };

export interface SaveOptions {
  name?: string;
  dtype?: WeightDtype;
  training?: Json;
  metrics?: Json;
  license?: string;
}

/** Writes the model and tokenizer into `dir`. */
export function saveSeq2seq(dir: string, model: Seq2seqModel, tokenizer: Tokenizer, opts: SaveOptions = {}): void {
  const dtype = opts.dtype ?? 'float32';
  const sum = saveWeights(join(dir, 'weights.bin'), model.vars, dtype);
  const manifest: ModelManifest = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    kind: 'seq2seq',
    ...(opts.name ? { name: opts.name } : {}),
    created: new Date().toISOString(),
    architecture: { seq2seqVersion: SEQ2SEQ_VERSION, ...(model.cfg as unknown as Json) },
    tokenizer: storeTokenizer(tokenizer, dir) as unknown as Json,
    ...(opts.training ? { training: opts.training } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    weights: { file: 'weights.bin', dtype, ...sum },
    ...(opts.license ? { license: opts.license } : {}),
  };
  writeManifest(dir, manifest);
}

/** A loaded model directory. */
export interface LoadedSeq2seq {
  model: Seq2seqModel;
  tokenizer: Tokenizer;
  manifest: ModelManifest;
}

/** Reads a seq2seq model directory; errors name the file and what is wrong. */
export async function loadSeq2seq(dir: string): Promise<LoadedSeq2seq> {
  const manifest = readManifest(dir);
  const where = join(dir, 'manifest.json');
  if (manifest.kind !== 'seq2seq')
    throw new Error(`${where}: kind is ${manifest.kind}, expected seq2seq (a translation model)`);
  const arch = manifest.architecture as unknown as ModelConfig & { seq2seqVersion?: number };
  if (typeof arch.seq2seqVersion !== 'number' || arch.seq2seqVersion > SEQ2SEQ_VERSION)
    throw new Error(
      `${where}: architecture.seq2seqVersion ${String(arch.seq2seqVersion)} is not one this Parley reads (${SEQ2SEQ_VERSION})`,
    );
  const tokenizer = await restoreTokenizer(manifest.tokenizer as unknown as StoredTokenizer, dir, where);
  const cfg = resolveModelConfig(arch);
  const model = new Seq2seqModel(cfg, 1);
  const weights = loadModelWeights(dir, manifest);
  assignWeights(model.vars, weights.tensors, weights.path);
  return { model, tokenizer, manifest };
}
