// The model manifest: `manifest.json` in every Parley model directory. It says what kind of model
// the directory holds, how it is built, how it tokenizes, how it was trained and how well it does.
// Readers check `format` and `formatVersion` before trusting anything else.
import { errorMessage } from '@parley/engine/errors';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '@parley/text';

/**
 * The version of @parley/core (its package.json, two levels above this file in src/ and in dist/ alike).
 * Every manifest Parley writes records it as `parleyVersion`.
 */
export const PARLEY_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The `format` field of every Parley manifest. */
export const MANIFEST_FORMAT = 'parley-model';
/** The manifest layout this code writes; readers accept this version and older ones they know. */
export const MANIFEST_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The manifest of a model directory. Kind-specific detail lives in `architecture` and `tokenizer`. */
export interface ModelManifest {
  /** Always `parley-model`. */
  format: typeof MANIFEST_FORMAT;
  /** Layout version of this manifest (see MANIFEST_VERSION). */
  formatVersion: number;
  /** The Parley (@parley/core) version that wrote the directory; set by writeManifest. Absent before 0.1.0. */
  parleyVersion?: string;
  /** What the directory holds: `charlm`, `seq2seq`, … */
  kind: string;
  /** A short human name, e.g. `sheldon`. */
  name?: string;
  /** ISO time the model was written. */
  created: string;
  /** Layer sizes and types: enough to rebuild the network before loading weights. */
  architecture: { [key: string]: JsonValue };
  /** How text becomes ids (type, vocabulary file or inline vocabulary, special tokens). */
  tokenizer: { [key: string]: JsonValue };
  /** Training metadata: config, data, steps, time, machine, seed. */
  training?: { [key: string]: JsonValue };
  /** Evaluation results, e.g. `{ "validation.natsPerChar": 1.38 }` or nested objects. */
  metrics?: { [key: string]: JsonValue };
  /**
   * The weights file (see weights.ts) relative to the directory, how it is stored, and its size and hex sha256
   * (checked before loading; absent in models written before checksums, which still load).
   */
  weights: { file: string; dtype: WeightDtype; bytes?: number; sha256?: string };
  /** Licence and data notes for the model card. */
  license?: string;
}

/** How weights are stored on disk. */
export type WeightDtype = 'float32' | 'float16' | 'int8';

/** Writes `manifest.json` into `dir` atomically, stamped with the Parley version that writes it. */
export function writeManifest(dir: string, manifest: ModelManifest): void {
  const { format, formatVersion, ...rest } = manifest;
  writeJsonAtomic(join(dir, MANIFEST_FILE), { format, formatVersion, ...rest, parleyVersion: PARLEY_VERSION });
}

/** True when `dir` has a manifest.json (it may still be invalid). */
export function isModelDir(dir: string): boolean {
  return existsSync(join(dir, MANIFEST_FILE));
}

/**
 * Reads and checks `dir/manifest.json`. Throws an error naming the file and the problem when it is
 * missing, not JSON, not a Parley manifest or of a newer format version than this code knows.
 */
export function readManifest(dir: string): ModelManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw new Error(`${path}: not found (is ${dir} a Parley model directory?)`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${errorMessage(err)})`);
  }
  if (typeof value !== 'object' || value === null) throw new Error(`${path}: expected a JSON object`);
  const m = value as Partial<ModelManifest>;
  if (m.format !== MANIFEST_FORMAT)
    throw new Error(`${path}: "format" is ${JSON.stringify(m.format)}, expected "${MANIFEST_FORMAT}"`);
  if (typeof m.formatVersion !== 'number') throw new Error(`${path}: "formatVersion" is missing`);
  if (m.formatVersion > MANIFEST_VERSION) {
    throw new Error(
      `${path}: formatVersion ${m.formatVersion} is newer than this Parley reads (${MANIFEST_VERSION}); update Parley`,
    );
  }
  if (typeof m.kind !== 'string') throw new Error(`${path}: "kind" is missing`);
  if (!m.weights || typeof m.weights.file !== 'string') throw new Error(`${path}: "weights.file" is missing`);
  return m as ModelManifest;
}
