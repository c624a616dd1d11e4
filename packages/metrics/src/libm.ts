// exp and log exactly as Python computes them on Debian 12 x86-64: glibc 2.36's implementations
// (ARM optimized-routines, table driven), in their FMA build (selected on CPUs with FMA), with the
// fused multiply-adds GCC contracts. V8's Math.exp/Math.log differ in the last bit now and then,
// which changes the 16th digit of a BLEU score; these reproduce sacreBLEU's digits.
import { toRational } from './stats';
import { EXP_HEAD, EXP_TAB, LOG_LN2, LOG_POLY, LOG_POLY1, LOG_TAB } from './libm-data';

const view = new DataView(new ArrayBuffer(8));

function fromHex(h: string): number {
  view.setUint32(0, Number.parseInt(h.slice(0, 8), 16));
  view.setUint32(4, Number.parseInt(h.slice(8), 16));
  return view.getFloat64(0);
}

function fromBits(hi: number, lo: number): number {
  view.setUint32(0, hi >>> 0);
  view.setUint32(4, lo >>> 0);
  return view.getFloat64(0);
}

// ---------------------------------------------------------------------------------------------
// Exact fused multiply-add: round(a*b + c) once.

/** Exactly rounded a*b + c via BigInt (the slow, always-right path). */
export function fmaExact(a: number, b: number, c: number): number {
  const { mant: ma, exp: ea } = toRational(a);
  const { mant: mb, exp: eb } = toRational(b);
  const { mant: mc, exp: ec } = toRational(c);
  const ep = ea + eb;
  const e = Math.min(ep, ec);
  const sum = ((ma * mb) << BigInt(ep - e)) + (mc << BigInt(ec - e));
  if (sum === 0n) return a * b + c;
  const neg = sum < 0n;
  let m = neg ? -sum : sum;
  // Round m * 2^e to 53 bits, ties to even.
  const bits = m.toString(2).length;
  let exp = e;
  if (bits > 53) {
    const drop = BigInt(bits - 53);
    const rest = m & ((1n << drop) - 1n);
    m >>= drop;
    exp += bits - 53;
    const half = 1n << (drop - 1n);
    if (rest > half || (rest === half && (m & 1n) === 1n)) m += 1n;
  }
  const v = Number(m) * 2 ** exp;
  return neg ? -v : v;
}

const oview = new DataView(new ArrayBuffer(8));

/** `s` rounded to odd given the exact remainder `r` of s = RN(s + r): an even s moves one ulp toward r. */
function roundToOdd(s: number, r: number): number {
  if (r === 0 || !Number.isFinite(s)) return s;
  oview.setFloat64(0, s);
  let hi = oview.getUint32(0);
  let lo = oview.getUint32(4);
  if ((lo & 1) === 1) return s;
  // Moving away from zero increments the magnitude's bit pattern, toward zero decrements it.
  const away = s === 0 ? true : r > 0 === s > 0;
  if (s === 0) {
    // smallest subnormal with r's sign
    return r > 0 ? 5e-324 : -5e-324;
  }
  if (away) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  } else {
    lo = (lo - 1) >>> 0;
    if (lo === 0xffffffff) hi = (hi - 1) >>> 0;
  }
  oview.setUint32(0, hi);
  oview.setUint32(4, lo);
  return oview.getFloat64(0);
}

/**
 * round(a*b + c) with one rounding, like the FMA instruction (finite, non-extreme inputs):
 * a*b = p + e exactly, p + c = s1 + e1 exactly, e1 + e = s2 + e2 exactly, and
 * RN(s1 + RO(s2 + e2)) is the correctly rounded sum (Boldo & Melquiond's rounding to odd).
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || !Number.isFinite(c) || p === 0 || c === 0) return p + c;
  const ap = Math.abs(p);
  if (ap < 1e-280 || ap > 1e280) return fmaExact(a, b, c);
  const ca = 134217729 * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = 134217729 * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  const s1 = p + c;
  const bb = s1 - p;
  const e1 = p - (s1 - bb) + (c - bb);
  const s2 = e1 + e;
  const bb2 = s2 - e1;
  const e2 = e1 - (s2 - bb2) + (e - bb2);
  return s1 + roundToOdd(s2, e2);
}

// ---------------------------------------------------------------------------------------------
// exp

const INV_LN2_N = fromHex(EXP_HEAD[0]!);
const NEG_LN2_HI_N = fromHex(EXP_HEAD[1]!);
const NEG_LN2_LO_N = fromHex(EXP_HEAD[2]!);
const C2 = fromHex(EXP_HEAD[3]!);
const C3 = fromHex(EXP_HEAD[4]!);
const C4 = fromHex(EXP_HEAD[5]!);
const C5 = fromHex(EXP_HEAD[6]!);
const SHIFT = fromHex(EXP_HEAD[7]!);
const EXP_T = EXP_TAB.map((h) => [Number.parseInt(h.slice(0, 8), 16), Number.parseInt(h.slice(8), 16)] as const);

function top12(x: number): number {
  view.setFloat64(0, x);
  return view.getUint32(0) >>> 20;
}

/** glibc's exp (FMA build). */
export function exp(x: number): number {
  let abstop = top12(x) & 0x7ff;
  if (abstop - 0x3c9 >= 0x408 - 0x3c9 || abstop < 0x3c9) {
    if (abstop < 0x3c9) return 1.0 + x; // |x| < 2^-54
    if (abstop >= 0x409) {
      if (x === -Infinity) return 0.0;
      if (abstop >= 0x7ff) return 1.0 + x;
      return x < 0 ? 0 : Infinity;
    }
    abstop = 0; // large |x|: special case below
  }
  let kd = fma(INV_LN2_N, x, SHIFT);
  view.setFloat64(0, kd);
  const kiLo = view.getUint32(4);
  kd -= SHIFT;
  const r = fma(kd, NEG_LN2_LO_N, fma(kd, NEG_LN2_HI_N, x));
  const idx = kiLo & 127;
  const [tailHi, tailLo] = EXP_T[2 * idx]!;
  const [sHi, sLo] = EXP_T[2 * idx + 1]!;
  const tail = fromBits(tailHi, tailLo);
  // sbits = T[idx+1] + (ki << 45): only ki's low 19 bits reach the high word.
  let sbitsHi = (sHi + ((kiLo & 0x7ffff) << 13)) >>> 0;
  const r2 = r * r;
  const tmp = fma(r2 * r2, fma(r, C5, C4), fma(r2, fma(r, C3, C2), tail + r));
  if (abstop === 0) {
    if ((kiLo & 0x80000000) === 0) {
      sbitsHi = (sbitsHi - (1009 << 20)) >>> 0;
      const scale = fromBits(sbitsHi, sLo);
      return 2 ** 1009 * fma(scale, tmp, scale);
    }
    sbitsHi = (sbitsHi + (1022 << 20)) >>> 0;
    const scale = fromBits(sbitsHi, sLo);
    // Not fused here (y is compared with 1 before use); subnormal results are not refined.
    return 2 ** -1022 * (scale + scale * tmp);
  }
  const scale = fromBits(sbitsHi, sLo);
  return fma(scale, tmp, scale);
}

// ---------------------------------------------------------------------------------------------
// log

const LN2_HI = fromHex(LOG_LN2[0]!);
const LN2_LO = fromHex(LOG_LN2[1]!);
const A = LOG_POLY.map(fromHex);
const B = LOG_POLY1.map(fromHex);
const INVC = Array.from({ length: 128 }, (_, i) => fromHex(LOG_TAB[2 * i]!));
const LOGC = Array.from({ length: 128 }, (_, i) => fromHex(LOG_TAB[2 * i + 1]!));

/** glibc's log (FMA build). */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  if (x === 1) return 0;
  if (x >= 0.9375 && x < 1.064697265625) return logNear1(x); // [1 - 2^-4, 1 + 0x1.09p-4)
  view.setFloat64(0, x);
  let hi = view.getUint32(0);
  let lo = view.getUint32(4);
  if (hi >>> 20 === 0) {
    // subnormal: normalize
    view.setFloat64(0, x * 2 ** 52);
    hi = (view.getUint32(0) - (52 << 20)) >>> 0;
    lo = view.getUint32(4);
  }
  // tmp = ix - OFF (OFF = 0x3fe6000000000000), i = (tmp >> 45) % 128, k = tmp >> 52 (arithmetic)
  const tmpHi = (hi - 0x3fe60000) | 0; // low word of OFF is 0
  const i = (tmpHi >>> 13) & 127;
  const k = tmpHi >> 20;
  const izHi = (hi - (tmpHi & 0xfff00000)) >>> 0;
  const z = fromBits(izHi, lo);
  const invc = INVC[i]!;
  const logc = LOGC[i]!;
  const r = fma(z, invc, -1.0);
  const kd = k;
  const w = fma(kd, LN2_HI, logc);
  const h = w + r;
  const l = fma(kd, LN2_LO, w - h + r);
  const r2 = r * r;
  const p = fma(r2, fma(r, A[4]!, A[3]!), fma(r, A[2]!, A[1]!));
  const y = fma(r * r2, p, fma(r2, A[0]!, l));
  return y + h;
}

function logNear1(x: number): number {
  const r = x - 1.0;
  const r2 = r * r;
  const r3 = r * r2;
  const inner3 = fma(r3, B[10]!, fma(r2, B[9]!, fma(r, B[8]!, B[7]!)));
  const inner2 = fma(r3, inner3, fma(r2, B[6]!, fma(r, B[5]!, B[4]!)));
  const inner1 = fma(r3, inner2, fma(r2, B[3]!, fma(r, B[2]!, B[1]!)));
  let w = r * 2 ** 27;
  const rhi = r + w - w;
  const rlo = r - rhi;
  w = rhi * rhi * B[0]!;
  const hi = r + w;
  let lo = r - hi + w;
  lo = fma(B[0]! * rlo, rhi + r, lo);
  // y = r3 * inner1; y += lo; y += hi — GCC fuses the first addition.
  return fma(r3, inner1, lo) + hi;
}
