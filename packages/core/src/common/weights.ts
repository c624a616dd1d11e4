// Weight files: one binary file holding named tensors, stored as float32, float16 or int8 with a
// per-tensor scale (symmetric: value ≈ int8 × scale, scale = max|w| / 127).
//
// Layout (little-endian): magic "PRLYW" + version byte, u32 header length, UTF-8 JSON header
// `{ tensors: [{ name, shape, dtype, offset, byteLength, scale?, sha256? }] }`, then the data, each tensor
// starting at a multiple of 8 bytes from the start of the data section. `sha256` (hex, of the tensor's
// stored bytes) is written by every Parley since checksums were added and verified whenever present, so
// damaged bytes are an error naming the file and tensor instead of silent NaN; files without it still load.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '@parley/text';
import { fromFloat16Bits, toFloat16Bits } from './float16';
import type { WeightDtype } from './manifest';

const MAGIC = 'PRLYW';
/** Version of the weight file layout. */
export const WEIGHTS_VERSION = 1;

/** Tensors by name, e.g. `{ "embedding": …, "lstm0/kernel": … }`. */
export type NamedTensors = Record<string, tf.Tensor>;

interface Entry {
  name: string;
  shape: number[];
  dtype: WeightDtype;
  offset: number;
  byteLength: number;
  scale?: number;
  /** Hex sha256 of the stored bytes (absent in files written before checksums). */
  sha256?: string;
}

/** Hex sha256 of some bytes (weight files and tensors are checked with it). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Encodes float32 values in the given storage dtype. */
function encode(values: Float32Array, dtype: WeightDtype): { bytes: Uint8Array; scale?: number } {
  if (dtype === 'float32')
    return { bytes: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) };
  if (dtype === 'float16') {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]!);
    return { bytes: new Uint8Array(out.buffer) };
  }
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]!));
  const scale = max > 0 ? max / 127 : 1;
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.max(-127, Math.min(127, Math.round(values[i]! / scale)));
  return { bytes: new Uint8Array(out.buffer), scale };
}

function decode(bytes: Uint8Array, entry: Entry): Float32Array {
  const n = entry.shape.reduce((a, b) => a * b, 1);
  const copy = bytes.slice(); // aligned copy
  if (entry.dtype === 'float32') return new Float32Array(copy.buffer, 0, n);
  const out = new Float32Array(n);
  if (entry.dtype === 'float16') {
    const h = new Uint16Array(copy.buffer, 0, n);
    for (let i = 0; i < n; i++) out[i] = fromFloat16Bits(h[i]!);
    return out;
  }
  const q = new Int8Array(copy.buffer, 0, n);
  const scale = entry.scale ?? 1;
  for (let i = 0; i < n; i++) out[i] = q[i]! * scale;
  return out;
}

/** Serializes tensors (read synchronously) into the weight file format. */
export function encodeWeights(tensors: NamedTensors, dtype: WeightDtype = 'float32'): Uint8Array {
  const entries: Entry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const values = t.dtype === 'float32' ? (t.dataSync() as Float32Array) : Float32Array.from(t.dataSync());
    // int32 tensors (rare) are kept exact as float32.
    const stored: WeightDtype = t.dtype === 'float32' ? dtype : 'float32';
    const { bytes, scale } = encode(values, stored);
    entries.push({
      name,
      shape: t.shape.slice(),
      dtype: stored,
      offset,
      byteLength: bytes.byteLength,
      ...(scale !== undefined ? { scale } : {}),
      sha256: sha256Hex(bytes),
    });
    chunks.push(bytes);
    offset += bytes.byteLength;
    const pad = (8 - (offset % 8)) % 8;
    if (pad) {
      chunks.push(new Uint8Array(pad));
      offset += pad;
    }
  }
  const header = new TextEncoder().encode(JSON.stringify({ tensors: entries }));
  const out = new Uint8Array(MAGIC.length + 1 + 4 + header.length + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  out[MAGIC.length] = WEIGHTS_VERSION;
  new DataView(out.buffer).setUint32(MAGIC.length + 1, header.length, true);
  out.set(header, MAGIC.length + 5);
  let pos = MAGIC.length + 5 + header.length;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.byteLength;
  }
  return out;
}

/** Reads the header and checks every tensor's bounds and checksum; throws naming `source` and the tensor. */
function checkedEntries(data: Uint8Array, source: string): { entries: Entry[]; base: number } {
  const magic = new TextDecoder().decode(data.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new Error(`${source}: not a Parley weight file (bad magic)`);
  const version = data[MAGIC.length]!;
  if (version > WEIGHTS_VERSION)
    throw new Error(`${source}: weight file version ${version} is newer than this Parley reads (${WEIGHTS_VERSION})`);
  if (data.byteLength < MAGIC.length + 5) throw new Error(`${source}: truncated (${data.byteLength} bytes)`);
  const headerLen = new DataView(data.buffer, data.byteOffset).getUint32(MAGIC.length + 1, true);
  const headerStart = MAGIC.length + 5;
  if (headerStart + headerLen > data.byteLength)
    throw new Error(
      `${source}: truncated (the header needs ${headerStart + headerLen} bytes, the file has ${data.byteLength})`,
    );
  let header: { tensors: Entry[] };
  try {
    header = JSON.parse(new TextDecoder().decode(data.subarray(headerStart, headerStart + headerLen))) as {
      tensors: Entry[];
    };
  } catch {
    throw new Error(`${source}: damaged header (not valid JSON)`);
  }
  if (!Array.isArray(header?.tensors)) throw new Error(`${source}: damaged header (no tensor list)`);
  const base = headerStart + headerLen;
  for (const e of header.tensors) {
    if (base + e.offset + e.byteLength > data.byteLength) throw new Error(`${source}: truncated (tensor ${e.name})`);
    if (
      e.sha256 !== undefined &&
      sha256Hex(data.subarray(base + e.offset, base + e.offset + e.byteLength)) !== e.sha256
    ) {
      throw new Error(`${source}: tensor "${e.name}" is damaged (sha256 mismatch)`);
    }
  }
  return { entries: header.tensors, base };
}

/** Checks a weight file without loading it: layout, bounds and per-tensor checksums. Returns the tensor count and whether they carried checksums. */
export function verifyWeights(data: Uint8Array, source = 'weights'): { tensors: number; checksummed: boolean } {
  const { entries } = checkedEntries(data, source);
  return { tensors: entries.length, checksummed: entries.length > 0 && entries.every((e) => e.sha256 !== undefined) };
}

/** Parses a weight file into float32 tensors by name, verifying checksums. `source` names the file in error messages. */
export function decodeWeights(data: Uint8Array, source = 'weights'): NamedTensors {
  const { entries, base } = checkedEntries(data, source);
  const out: NamedTensors = {};
  for (const e of entries)
    out[e.name] = tf.tensor(
      decode(data.subarray(base + e.offset, base + e.offset + e.byteLength), e),
      e.shape,
      'float32',
    );
  return out;
}

/** Size and checksum of a written weight file (recorded in the model manifest). */
export interface WeightFileSum {
  bytes: number;
  sha256: string;
}

/** Writes tensors to `path` atomically, stored as `dtype`; returns the file's size and sha256. */
export function saveWeights(path: string, tensors: NamedTensors, dtype: WeightDtype = 'float32'): WeightFileSum {
  const data = encodeWeights(tensors, dtype);
  writeFileAtomic(path, data);
  return { bytes: data.byteLength, sha256: sha256Hex(data) };
}

/** Reads a weight file written by saveWeights; every tensor comes back as float32. */
export function loadWeights(path: string): NamedTensors {
  return decodeWeights(new Uint8Array(readFileSync(path)), path);
}

/**
 * Copies loaded tensors into variables of the same names and shapes; throws naming any missing or
 * mis-shaped tensor. Disposes the loaded tensors.
 */
export function assignWeights(vars: Record<string, tf.Variable>, loaded: NamedTensors, source = 'weights'): void {
  try {
    for (const [name, v] of Object.entries(vars)) {
      const t = loaded[name];
      if (!t) throw new Error(`${source}: missing tensor "${name}"`);
      if (t.shape.join(',') !== v.shape.join(',')) {
        throw new Error(`${source}: tensor "${name}" has shape [${t.shape}], the model expects [${v.shape}]`);
      }
      v.assign(t);
    }
  } finally {
    for (const t of Object.values(loaded)) t.dispose();
  }
}
