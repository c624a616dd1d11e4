// A model directory's weights, checked against its manifest before use: the file's size and sha256 are
// recorded when it is written, so a truncated or damaged weights.bin is an error naming the file (and the
// tensor, from the per-tensor checksums inside the file) instead of a model that prints nothing or NaN.
// Models written before checksums have neither; they still load, with only the layout checks.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelManifest } from './manifest';
import { decodeWeights, sha256Hex, verifyWeights, type NamedTensors } from './weights';

/** What `checkModelWeights` found: the file, its tensors, and whether a checksum vouched for it. */
export interface WeightsCheck {
  path: string;
  tensors: number;
  /** True when the manifest's sha256 (or the file's per-tensor checksums) were there to check. */
  checksummed: boolean;
}

/** Reads the weight file of a model directory, checking its size and sha256 against the manifest. */
function readChecked(dir: string, m: ModelManifest): { path: string; data: Uint8Array } {
  const path = join(dir, m.weights.file);
  if (!existsSync(path)) throw new Error(`${path}: weight file not found`);
  const data = new Uint8Array(readFileSync(path));
  const { bytes, sha256 } = m.weights;
  if (bytes !== undefined && data.byteLength !== bytes) {
    throw new Error(
      `${path}: ${data.byteLength < bytes ? 'truncated' : 'damaged'} (${data.byteLength} bytes, the manifest says ${bytes})`,
    );
  }
  if (sha256 !== undefined && sha256Hex(data) !== sha256) {
    verifyWeights(data, path); // names the damaged tensor when the damage is in one
    // Every tensor matched its own checksum: the change is in the header or the padding between tensors.
    throw new Error(
      `${path}: damaged (sha256 differs from the manifest's, in bytes outside every tensor: the header or padding)`,
    );
  }
  return { path, data };
}

/** Checks a model directory's weights without loading them into tensors (for `parley info`). */
export function checkModelWeights(dir: string, m: ModelManifest): WeightsCheck {
  const { path, data } = readChecked(dir, m);
  const v = verifyWeights(data, path);
  return { path, tensors: v.tensors, checksummed: m.weights.sha256 !== undefined || v.checksummed };
}

/** Loads a model directory's weights as float32 tensors after the checks above; returns them with the file's path. */
export function loadModelWeights(dir: string, m: ModelManifest): { path: string; tensors: NamedTensors } {
  const { path, data } = readChecked(dir, m);
  return { path, tensors: decodeWeights(data, path) };
}
