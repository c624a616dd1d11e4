// numpy's default random generator, reproduced bit for bit: `np.random.default_rng(seed)` is PCG64
// (XSL-RR 128/64) seeded through SeedSequence; `integers` draws bounded values with Lemire's
// method on 32-bit words, booleans from the bits of 32-bit words. sacreBLEU's significance tests
// use exactly these draws, so Parley's p-values and intervals equal sacreBLEU's.

const MASK128 = (1n << 128n) - 1n;
const MULT = (2549297995355413924n << 64n) + 4865540595714422341n;

// SeedSequence constants (numpy/random/bit_generator.pyx).
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;

/** SeedSequence(seed).generate_state(4, uint64) as four 64-bit words. */
export function seedSequenceState(seed: number | bigint, words64 = 4): bigint[] {
  // The seed as little-endian 32-bit words.
  let s = BigInt(seed);
  if (s < 0n) throw new Error('seed must be non-negative');
  const entropy: number[] = [];
  do {
    entropy.push(Number(s & 0xffffffffn));
    s >>= 32n;
  } while (s > 0n);
  const poolSize = 4;
  const pool = new Array<number>(poolSize).fill(0);
  let hashConst = INIT_A;
  const hashmix = (value: number): number => {
    value = (value ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_A) >>> 0;
    value = Math.imul(value, hashConst) >>> 0;
    value = (value ^ (value >>> 16)) >>> 0;
    return value;
  };
  const mix = (x: number, y: number): number => {
    let r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    r = (r ^ (r >>> 16)) >>> 0;
    return r;
  };
  for (let i = 0; i < poolSize; i++) pool[i] = hashmix(i < entropy.length ? entropy[i]! : 0);
  for (let src = 0; src < poolSize; src++)
    for (let dst = 0; dst < poolSize; dst++) if (src !== dst) pool[dst] = mix(pool[dst]!, hashmix(pool[src]!));
  for (let src = poolSize; src < entropy.length; src++)
    for (let dst = 0; dst < poolSize; dst++) pool[dst] = mix(pool[dst]!, hashmix(entropy[src]!));
  const n32 = words64 * 2;
  const state32: number[] = [];
  let hc = INIT_B;
  for (let i = 0; i < n32; i++) {
    let v = pool[i % poolSize]!;
    v = (v ^ hc) >>> 0;
    hc = Math.imul(hc, MULT_B) >>> 0;
    v = Math.imul(v, hc) >>> 0;
    v = (v ^ (v >>> 16)) >>> 0;
    state32.push(v);
  }
  const out: bigint[] = [];
  for (let i = 0; i < words64; i++) out.push(BigInt(state32[2 * i]!) | (BigInt(state32[2 * i + 1]!) << 32n));
  return out;
}

/** numpy's PCG64 bit generator with its 32-bit buffering. */
export class PCG64 {
  private state: bigint;
  private readonly inc: bigint;
  private hasUint32 = false;
  private uinteger = 0;

  constructor(seed: number | bigint = 12345) {
    const [s0, s1, i0, i1] = seedSequenceState(seed);
    const initState = (s0! << 64n) | s1!;
    const initSeq = (i0! << 64n) | i1!;
    this.inc = ((initSeq << 1n) | 1n) & MASK128;
    this.state = 0n;
    this.step();
    this.state = (this.state + initState) & MASK128;
    this.step();
  }

  private step(): void {
    this.state = (this.state * MULT + this.inc) & MASK128;
  }

  /** The next 64-bit output as [low 32 bits, high 32 bits]. */
  private next64(): [number, number] {
    this.step();
    const s = this.state;
    const x = ((s >> 64n) ^ s) & 0xffffffffffffffffn;
    const rot = Number(s >> 122n);
    const r = ((x >> BigInt(rot)) | (x << BigInt((64 - rot) & 63))) & 0xffffffffffffffffn;
    return [Number(r & 0xffffffffn), Number(r >> 32n)];
  }

  /** A full 64-bit output as a bigint. */
  nextUint64(): bigint {
    const [lo, hi] = this.next64();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** numpy's `next_uint32`: the low half of a 64-bit output, then its high half. */
  nextUint32(): number {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    const [lo, hi] = this.next64();
    this.hasUint32 = true;
    this.uinteger = hi;
    return lo;
  }
}

/** numpy `Generator` methods sacreBLEU uses. */
export class Generator {
  readonly bitGenerator: PCG64;

  constructor(seed: number | bigint = 12345) {
    this.bitGenerator = new PCG64(seed);
  }

  /** One value of `integers(0, n)` (Lemire's bounded method on 32-bit words, n ≤ 2^32). */
  boundedUint32(n: number): number {
    if (n === 1) return 0;
    if (n === 2 ** 32) return this.bitGenerator.nextUint32();
    const bg = this.bitGenerator;
    let [hi, lo] = mul32(bg.nextUint32(), n);
    if (lo < n) {
      const threshold = (2 ** 32 - n) % n;
      while (lo < threshold) [hi, lo] = mul32(bg.nextUint32(), n);
    }
    return hi;
  }

  /** `integers(0, n, size=count)` (also `choice(n, size=count, replace=True)`) as an Int32Array. */
  integers(n: number, count: number): Int32Array {
    if (n > 2 ** 31) throw new Error('integers: n too large');
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.boundedUint32(n);
    return out;
  }

  /** `integers(2, size=count, dtype=bool)`: 32 booleans per 32-bit word, lowest bit first. */
  booleans(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let buf = 0;
    let bcnt = 0;
    for (let i = 0; i < count; i++) {
      if (bcnt === 0) {
        buf = this.bitGenerator.nextUint32();
        bcnt = 31;
      } else {
        buf >>>= 1;
        bcnt--;
      }
      out[i] = buf & 1;
    }
    return out;
  }
}

/** The 64-bit product of two 32-bit values as [high 32 bits, low 32 bits]. */
function mul32(x: number, n: number): [number, number] {
  const xl = x & 0xffff;
  const xh = x >>> 16;
  const p1 = xl * n; // < 2^48
  const p2 = xh * n; // < 2^48
  const mid = (p2 % 65536) * 65536 + p1; // < 2^49
  const lo = mid % 4294967296;
  const hi = Math.floor(p2 / 65536) + Math.floor(mid / 4294967296);
  return [hi, lo];
}
