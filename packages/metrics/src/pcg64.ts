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

/** A 128-bit value as eight 16-bit limbs, least significant first. */
function toLimbs(x: bigint): Uint32Array {
  const out = new Uint32Array(8);
  for (let i = 0; i < 8; i++) out[i] = Number((x >> BigInt(16 * i)) & 0xffffn);
  return out;
}

const MULT_LIMBS = toLimbs(MULT);

/** numpy's PCG64 bit generator with its 32-bit buffering (128-bit arithmetic on 16-bit limbs). */
export class PCG64 {
  private readonly state: Uint32Array;
  private readonly inc: Uint32Array;
  private readonly next = new Uint32Array(8);
  private hasUint32 = false;
  private uinteger = 0;

  constructor(seed: number | bigint = 12345) {
    const [s0, s1, i0, i1] = seedSequenceState(seed);
    const initState = (s0! << 64n) | s1!;
    const initSeq = (i0! << 64n) | i1!;
    const inc = ((initSeq << 1n) | 1n) & MASK128;
    // state = 0; step; state += initState; step   (pcg_setseq_128_srandom_r)
    let state = inc & MASK128;
    state = (state + initState) & MASK128;
    state = (state * MULT + inc) & MASK128;
    this.state = toLimbs(state);
    this.inc = toLimbs(inc);
  }

  /** state = state * MULT + inc (mod 2^128). */
  private step(): void {
    const s = this.state;
    const r = this.next;
    let carry = 0;
    for (let k = 0; k < 8; k++) {
      let acc = carry + this.inc[k]!;
      for (let i = 0; i <= k; i++) acc += s[i]! * MULT_LIMBS[k - i]!;
      const q = Math.floor(acc / 65536);
      r[k] = acc - q * 65536;
      carry = q;
    }
    s.set(r);
  }

  /** Low and high 32 bits of the last output of `next64`. */
  private outLo = 0;
  private outHi = 0;

  /** Computes the next 64-bit output (XSL-RR of the new state) into outLo / outHi. */
  private next64(): void {
    this.step();
    const s = this.state;
    const xlo = ((s[1]! << 16) | s[0]!) ^ ((s[5]! << 16) | s[4]!);
    const xhi = ((s[3]! << 16) | s[2]!) ^ ((s[7]! << 16) | s[6]!);
    let rot = s[7]! >>> 10;
    let lo = xlo;
    let hi = xhi;
    if (rot >= 32) {
      lo = xhi;
      hi = xlo;
      rot -= 32;
    }
    if (rot === 0) {
      this.outLo = lo >>> 0;
      this.outHi = hi >>> 0;
    } else {
      this.outLo = ((lo >>> rot) | (hi << (32 - rot))) >>> 0;
      this.outHi = ((hi >>> rot) | (lo << (32 - rot))) >>> 0;
    }
  }

  /** A full 64-bit output as a bigint. */
  nextUint64(): bigint {
    this.next64();
    return (BigInt(this.outHi) << 32n) | BigInt(this.outLo);
  }

  /** numpy's `next_uint32`: the low half of a 64-bit output, then its high half. */
  nextUint32(): number {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    this.next64();
    this.hasUint32 = true;
    this.uinteger = this.outHi;
    return this.outLo;
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
    // m = next_uint32 * n as a 64-bit product: keep its high and low 32 bits.
    for (let threshold = -1; ;) {
      const x = bg.nextUint32();
      const p1 = (x & 0xffff) * n; // < 2^48
      const p2 = (x >>> 16) * n; // < 2^48
      const mid = (p2 % 65536) * 65536 + p1; // < 2^49
      const lo = mid % 4294967296;
      const hi = Math.floor(p2 / 65536) + Math.floor(mid / 4294967296);
      if (lo >= n) return hi;
      if (threshold < 0) threshold = (2 ** 32 - n) % n;
      if (lo >= threshold) return hi;
    }
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
