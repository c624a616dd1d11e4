// SentencePiece's text normalizer in TypeScript, byte for byte: the precompiled character map (a darts-clone
// double-array trie of UTF-8 prefixes → replacement strings), then whitespace handling (drop extra spaces,
// dummy prefix, spaces → ▁). The trainer uses it so it counts exactly the text spm_encode will segment.
import { readFileSync } from 'node:fs';
import type { NormalizerSpec } from './model';

/** The `▁` (U+2581) that marks a space inside pieces. */
export const SPACE_SYMBOL = '\u2581';

let nmtNfkc: Uint8Array | undefined;

/**
 * The compiled `nmt_nfkc` rules (NFKC plus SentencePiece's NMT fixes: control characters dropped, odd spaces
 * made plain). The bytes are the `precompiled_charsmap` spm_train 0.1.97 writes for `--normalization_rule_name=nmt_nfkc`
 * (SentencePiece, Apache-2.0); see packages/text/README.md.
 */
export function nmtNfkcCharsmap(): Uint8Array {
  nmtNfkc ??= new Uint8Array(readFileSync(new URL('./nmt_nfkc.charsmap', import.meta.url)));
  return nmtNfkc;
}

/** A normalizer spec for a rule set name: 'nmt_nfkc' (spm's default) or 'identity' (only whitespace handling). */
export function normalizerSpec(name: 'nmt_nfkc' | 'identity'): NormalizerSpec {
  return {
    name,
    precompiledCharsmap: name === 'nmt_nfkc' ? nmtNfkcCharsmap() : new Uint8Array(),
    addDummyPrefix: true,
    removeExtraWhitespaces: true,
    escapeWhitespaces: true,
  };
}

/** Normalizes text exactly as SentencePiece does for a given spec. */
export class Normalizer {
  private readonly units: Uint32Array | undefined;
  private readonly normalized: Uint8Array;
  /** 1 for each byte value some rule starts with; ASCII bytes with 0 are copied without a trie lookup. */
  private readonly startsRule = new Uint8Array(256);
  private readonly enc = new TextEncoder();
  private readonly dec = new TextDecoder();

  constructor(readonly spec: NormalizerSpec) {
    const blob = spec.precompiledCharsmap;
    if (blob.length) {
      const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
      const trieSize = view.getUint32(0, true);
      if (trieSize + 4 > blob.length || trieSize % 4) throw new Error('precompiled_charsmap: bad trie size');
      const trie = blob.slice(4, 4 + trieSize);
      this.units = new Uint32Array(trie.buffer, 0, trieSize / 4);
      this.normalized = blob.subarray(4 + trieSize);
      const root = offset(this.units[0]!);
      for (let b = 0; b < 256; b++) this.startsRule[b] = (this.units[root ^ b]! & 0x800000ff) >>> 0 === b ? 1 : 0;
    } else {
      this.normalized = new Uint8Array();
    }
  }

  /** Length in bytes of the longest rule matching `bytes` at `pos`, and where its replacement starts (or undefined). */
  private longestMatch(bytes: Uint8Array, pos: number): [number, number] | undefined {
    const units = this.units!;
    let nodePos = 0;
    let unit = units[0]!;
    nodePos ^= offset(unit);
    let best: [number, number] | undefined;
    for (let i = pos; i < bytes.length; i++) {
      const c = bytes[i]!;
      nodePos ^= c;
      unit = units[nodePos]!;
      if ((unit & 0x800000ff) >>> 0 !== c) break;
      nodePos ^= offset(unit);
      if ((unit >>> 8) & 1) best = [i + 1 - pos, units[nodePos]! & 0x7fffffff];
    }
    return best;
  }

  /**
   * Finds the replacement of the next character (or rule match) at `pos`: sets `this.from`/`this.to` to its bytes
   * (in `this.normalized` when `this.fromTable`, else in the input) and returns the input bytes consumed.
   */
  private from = 0;
  private to = 0;
  private fromTable = false;
  private prefix(bytes: Uint8Array, pos: number): number {
    if (this.units) {
      const m = this.longestMatch(bytes, pos);
      if (m) {
        let end = m[1];
        while (end < this.normalized.length && this.normalized[end] !== 0) end++;
        this.fromTable = true;
        this.from = m[1];
        this.to = end;
        return m[0];
      }
    }
    const n = utf8Length(bytes, pos);
    this.fromTable = false;
    this.from = pos;
    this.to = pos + n;
    return n;
  }

  /** Normalizes one sentence (spm's `Normalizer::Normalize`). */
  normalize(text: string): string {
    const input = this.enc.encode(text);
    const spec = this.spec;
    let pos = 0;
    if (spec.removeExtraWhitespaces) {
      while (pos < input.length) {
        const n = this.prefix(input, pos);
        const src = this.fromTable ? this.normalized : input;
        if (!(this.to - this.from === 1 && src[this.from] === 0x20)) break;
        pos += n;
      }
    }
    if (pos >= input.length) return '';
    // A replacement is at most a few times longer than its source; grow if ever needed.
    let out = new Uint8Array(input.length * 3 + 16);
    let len = 0;
    const esc = spec.escapeWhitespaces;
    const pushSpace = () => {
      if (esc) {
        out[len++] = 0xe2;
        out[len++] = 0x96;
        out[len++] = 0x81;
      } else out[len++] = 0x20;
    };
    if (spec.addDummyPrefix) pushSpace();
    let prevSpace = spec.removeExtraWhitespaces;
    while (pos < input.length) {
      const byte = input[pos]!;
      if (byte < 0x80 && byte !== 0x20 && !this.startsRule[byte]) {
        // Fast path: plain ASCII with no rule is copied as is.
        if (len + 4 > out.length) {
          const bigger = new Uint8Array(out.length * 2 + 8);
          bigger.set(out.subarray(0, len));
          out = bigger;
        }
        out[len++] = byte;
        prevSpace = false;
        pos++;
        continue;
      }
      const n = this.prefix(input, pos);
      const src = this.fromTable ? this.normalized : input;
      let start = this.from;
      const end = this.to;
      if (prevSpace) while (start < end && src[start] === 0x20) start++;
      if (start < end) {
        if (len + (end - start) * 3 + 3 > out.length) {
          const bigger = new Uint8Array(out.length * 2 + (end - start) * 3);
          bigger.set(out.subarray(0, len));
          out = bigger;
        }
        for (let k = start; k < end; k++) {
          const b = src[k]!;
          if (b === 0x20 && esc) pushSpace();
          else out[len++] = b;
        }
        prevSpace = src[end - 1] === 0x20;
      }
      pos += n;
      if (!spec.removeExtraWhitespaces) prevSpace = false;
    }
    if (spec.removeExtraWhitespaces) {
      if (esc) while (len >= 3 && out[len - 3] === 0xe2 && out[len - 2] === 0x96 && out[len - 1] === 0x81) len -= 3;
      else while (len >= 1 && out[len - 1] === 0x20) len--;
    }
    return this.dec.decode(out.subarray(0, len));
  }
}

function offset(unit: number): number {
  return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
}

/** Bytes in the UTF-8 character at `pos`; 1 for a malformed byte (the decoder then yields U+FFFD, as spm does). */
function utf8Length(bytes: Uint8Array, pos: number): number {
  const b = bytes[pos]!;
  const need = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 1;
  if (pos + need > bytes.length) return 1;
  for (let k = 1; k < need; k++) if ((bytes[pos + k]! & 0xc0) !== 0x80) return 1;
  return need;
}
