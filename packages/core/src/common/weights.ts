// Weight files: one binary file holding named tensors, stored as float32, float16 or int8 with a
// per-tensor scale (symmetric: value ≈ int8 × scale, scale = max|w| / 127).
//
// Layout (little-endian): magic "PRLYW" + version byte, u32 header length, UTF-8 JSON header
// `{ tensors: [{ name, shape, dtype, offset, byteLength, scale? }] }`, then the data, each tensor
// starting at a multiple of 8 bytes from the start of the data section.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from './atomic';
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
}

/** Encodes float32 values in the given storage dtype. */
function encode(values: Float32Array, dtype: WeightDtype): { bytes: Uint8Array; scale?: number } {
  if (dtype === 'float32') return { bytes: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) };
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
    entries.push({ name, shape: t.shape.slice(), dtype: stored, offset, byteLength: bytes.byteLength, ...(scale !== undefined ? { scale } : {}) });
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

/** Parses a weight file into float32 tensors by name. `source` names the file in error messages. */
export function decodeWeights(data: Uint8Array, source = 'weights'): NamedTensors {
  const magic = new TextDecoder().decode(data.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new Error(`${source}: not a Parley weight file (bad magic)`);
  const version = data[MAGIC.length]!;
  if (version > WEIGHTS_VERSION) throw new Error(`${source}: weight file version ${version} is newer than this Parley reads (${WEIGHTS_VERSION})`);
  const headerLen = new DataView(data.buffer, data.byteOffset).getUint32(MAGIC.length + 1, true);
  const headerStart = MAGIC.length + 5;
  const header = JSON.parse(new TextDecoder().decode(data.subarray(headerStart, headerStart + headerLen))) as { tensors: Entry[] };
  const base = headerStart + headerLen;
  const out: NamedTensors = {};
  for (const e of header.tensors) {
    if (base + e.offset + e.byteLength > data.byteLength) throw new Error(`${source}: truncated (tensor ${e.name})`);
    const values = decode(data.subarray(base + e.offset, base + e.offset + e.byteLength), e);
    out[e.name] = tf.tensor(values, e.shape, 'float32');
  }
  return out;
}

/** Writes tensors to `path` atomically, stored as `dtype`. */
export function saveWeights(path: string, tensors: NamedTensors, dtype: WeightDtype = 'float32'): void {
  writeFileAtomic(path, encodeWeights(tensors, dtype));
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
