// A char-LM model directory: manifest.json (kind `charlm`), weights.bin and tokenizer.json.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CharTokenizer } from '@parley/text';
import {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  assignWeights,
  loadModelWeights,
  readManifest,
  saveWeights,
  writeManifest,
  type JsonValue,
  type ModelManifest,
  type WeightDtype,
} from '../common/index';
import type { CharLmModelConfig } from './config';
import { CharLmNet } from './model';

export const CHARLM_KIND = 'charlm';
export const TOKENIZER_FILE = 'tokenizer.json';
export const WEIGHTS_FILE = 'weights.bin';

/** A loaded char-LM: the network, its tokenizer and its manifest. */
export interface CharLm {
  net: CharLmNet;
  tokenizer: CharTokenizer;
  manifest: ModelManifest;
}

/** What goes into a saved model's manifest besides the architecture. */
export interface SaveCharLmOptions {
  name?: string;
  dtype?: WeightDtype;
  training?: { [key: string]: JsonValue };
  metrics?: { [key: string]: JsonValue };
  license?: string;
}

/** Writes the model directory (each file atomically; the manifest last, so a reader never sees a half model). */
export function saveCharLm(
  dir: string,
  net: CharLmNet,
  tokenizer: CharTokenizer,
  opts: SaveCharLmOptions = {},
): ModelManifest {
  const dtype = opts.dtype ?? 'float32';
  mkdirSync(dir, { recursive: true });
  tokenizer.save(join(dir, TOKENIZER_FILE));
  const sum = saveWeights(join(dir, WEIGHTS_FILE), net.variables(), dtype);
  const manifest: ModelManifest = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    kind: CHARLM_KIND,
    ...(opts.name ? { name: opts.name } : {}),
    created: new Date().toISOString(),
    architecture: { ...net.config, vocabSize: net.vocabSize, parameters: net.paramCount() },
    tokenizer: { type: 'char', file: TOKENIZER_FILE, vocabSize: tokenizer.vocabSize, normalize: tokenizer.normalize },
    ...(opts.training ? { training: opts.training } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    weights: { file: WEIGHTS_FILE, dtype, ...sum },
    ...(opts.license ? { license: opts.license } : {}),
  };
  writeManifest(dir, manifest);
  return manifest;
}

/** Reads the architecture back from a manifest, checking each field. */
function modelConfigOf(m: ModelManifest, source: string): { config: CharLmModelConfig; vocabSize: number } {
  const a = m.architecture;
  const num = (k: string): number => {
    const v = a[k];
    if (typeof v !== 'number') throw new Error(`${source}: architecture.${k} must be a number`);
    return v;
  };
  const cell = a.cell;
  if (cell !== 'lstm' && cell !== 'gru') throw new Error(`${source}: architecture.cell must be lstm or gru`);
  return {
    config: {
      cell,
      layers: num('layers'),
      hidden: num('hidden'),
      embedding: num('embedding'),
      dropout: num('dropout'),
    },
    vocabSize: num('vocabSize'),
  };
}

/** Loads a char-LM model directory (call `initBackend()` first). */
export function loadCharLm(dir: string): CharLm {
  const manifest = readManifest(dir);
  const source = join(dir, 'manifest.json');
  if (manifest.kind !== CHARLM_KIND) throw new Error(`${source}: kind is "${manifest.kind}", not a char-LM`);
  const { config, vocabSize } = modelConfigOf(manifest, source);
  const tokenizer = CharTokenizer.load(
    join(dir, typeof manifest.tokenizer.file === 'string' ? manifest.tokenizer.file : TOKENIZER_FILE),
  );
  if (tokenizer.vocabSize !== vocabSize)
    throw new Error(`${source}: vocabSize ${vocabSize} does not match the tokenizer's ${tokenizer.vocabSize}`);
  const net = new CharLmNet(config, vocabSize);
  const weights = loadModelWeights(dir, manifest);
  assignWeights(net.variables(), weights.tensors, weights.path);
  return { net, tokenizer, manifest };
}
