// Numerics that must match Python/numpy bit for bit: `statistics.mean` (exact), numpy's pairwise
// float64 summation (`ndarray.mean`), and float32 accumulation (`np.array(stats, 'float32')[idx].sum(0)`).

const view = new DataView(new ArrayBuffer(8));

/** A finite double as an exact rational mant · 2^exp (mant a BigInt). */
export function toRational(x: number): { mant: bigint; exp: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp = -1074;
  if (biased !== 0) {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  return { mant: hi >>> 31 ? -mant : mant, exp };
}

/** Correctly rounded num / den (den > 0) as a double. */
function ratioToDouble(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const neg = num < 0n;
  if (neg) num = -num;
  // Scale so the quotient has at least 64 significant bits, keep a sticky bit for the remainder.
  const shift = Math.max(0, 64 - (num.toString(2).length - den.toString(2).length));
  const scaled = num << BigInt(shift);
  let q = scaled / den;
  const sticky = scaled % den !== 0n ? 1n : 0n;
  q = (q << 1n) | sticky;
  const value = Number(q) / 2 ** (shift + 1);
  return neg ? -value : value;
}

/** Python's `statistics.mean` of floats: the exact mean, rounded once. */
export function exactMean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) throw new Error('mean of no values');
  const parts = Array.from(values, toRational);
  const minExp = Math.min(...parts.map((p) => p.exp));
  let sum = 0n;
  for (const p of parts) sum += p.mant << BigInt(p.exp - minExp);
  // mean = sum * 2^minExp / n
  if (minExp >= 0) return ratioToDouble(sum << BigInt(minExp), BigInt(n));
  return ratioToDouble(sum, BigInt(n) << BigInt(-minExp));
}

/** numpy's pairwise summation of a contiguous float64 array (`np.add.reduce`). */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r[j] = a[start + j]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += a[start + i + j]!;
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** numpy `ndarray.mean()` of a float64 vector. */
export function numpyMean(a: ArrayLike<number>): number {
  return pairwiseSum(a) / a.length;
}
