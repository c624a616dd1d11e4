// A minimal protocol-buffers encoder/decoder: just the wire types SentencePiece's ModelProto uses
// (varint, 32-bit float, length-delimited). Enough to write and read `.model` files without a dependency.

/** Appends protobuf fields to a growing byte buffer. */
export class ProtoWriter {
  private buf = new Uint8Array(1024);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private varint(value: number): void {
    this.ensure(10);
    if (value < 0) {
      // Negative int32 values are sign-extended to 10 bytes.
      let v = BigInt.asUintN(64, BigInt(value));
      while (v >= 0x80n) {
        this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
        v >>= 7n;
      }
      this.buf[this.len++] = Number(v);
      return;
    }
    while (value >= 0x80) {
      this.buf[this.len++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buf[this.len++] = value;
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** int32/int64/uint64/enum field. */
  int(field: number, value: number): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  bool(field: number, value: boolean): this {
    return this.int(field, value ? 1 : 0);
  }

  /** 32-bit float field. */
  float(field: number, value: number): this {
    this.tag(field, 5);
    this.ensure(4);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat32(this.len, value, true);
    this.len += 4;
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** Embedded message field. */
  message(field: number, inner: ProtoWriter): this {
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** One decoded field: varints as numbers, floats as numbers, length-delimited as bytes. */
export interface ProtoField {
  field: number;
  wireType: number;
  /** For wire type 0 (varint, read as a signed 64-bit value clamped to a JS number) and 5 (float32) / 1 (float64). */
  number?: number;
  /** For wire type 2. */
  bytes?: Uint8Array;
}

/** Decodes the top-level fields of one message. Throws on truncated or malformed input. */
export function readFields(data: Uint8Array): ProtoField[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: ProtoField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= data.length) throw new Error('protobuf: truncated varint');
      const b = data[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('protobuf: varint too long');
    }
  };
  while (pos < data.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wireType = key & 7;
    if (wireType === 0) out.push({ field, wireType, number: Number(BigInt.asIntN(64, varint())) });
    else if (wireType === 5) {
      if (pos + 4 > data.length) throw new Error('protobuf: truncated float');
      out.push({ field, wireType, number: view.getFloat32(pos, true) });
      pos += 4;
    } else if (wireType === 1) {
      if (pos + 8 > data.length) throw new Error('protobuf: truncated double');
      out.push({ field, wireType, number: view.getFloat64(pos, true) });
      pos += 8;
    } else if (wireType === 2) {
      const n = Number(varint());
      if (pos + n > data.length) throw new Error('protobuf: truncated bytes');
      out.push({ field, wireType, bytes: data.subarray(pos, pos + n) });
      pos += n;
    } else throw new Error(`protobuf: unsupported wire type ${wireType}`);
  }
  return out;
}
