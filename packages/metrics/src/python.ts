// Python-compatible string and float helpers: the details that decide the last digit of a score.
// sacreBLEU splits on Python whitespace, counts code points, and prints floats with repr / f"{x:.Nf}".

/** Characters Python's `str.split()`, `str.strip()` and `re`'s `\s` treat as whitespace. */
export const PY_WS_CLASS =
  '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WS_RUN = new RegExp(`[${PY_WS_CLASS}]+`, 'u');
const WS_RUN_G = new RegExp(`[${PY_WS_CLASS}]+`, 'gu');
const WS_TRAILING = new RegExp(`[${PY_WS_CLASS}]+$`, 'u');
const WS_LEADING = new RegExp(`^[${PY_WS_CLASS}]+`, 'u');

/** Python `s.split()`: split on runs of whitespace, no empty strings. */
const OTHER_WS = /[\t\n\v\f\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

export function pySplit(s: string): string[] {
  if (s.length === 0) return [];
  if (!OTHER_WS.test(s)) {
    // Only ASCII spaces (the common case): split on the character, drop empty strings.
    const parts = s.split(' ');
    let clean = true;
    for (let i = 0; i < parts.length; i++)
      if (parts[i] === '') {
        clean = false;
        break;
      }
    return clean ? parts : parts.filter((p) => p !== '');
  }
  const parts = s.split(WS_RUN);
  if (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const WS_NONCANONICAL = new RegExp(
  `[${PY_WS_CLASS}]{2,}|[\\t\\n\\v\\f\\r\\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]`,
  'gu',
);

/** Python `" ".join(s.split())`. */
export function pyNormalizeSpace(s: string): string {
  s = s.replace(WS_NONCANONICAL, ' ');
  const start = s.charCodeAt(0) === 32 ? 1 : 0;
  const end = s.length > start && s.charCodeAt(s.length - 1) === 32 ? s.length - 1 : s.length;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python `s.rstrip()`. */
export function pyRstrip(s: string): string {
  const last = s.charCodeAt(s.length - 1);
  if (!(last <= 0x20 || last === 0x85 || last === 0xa0 || last >= 0x1680)) return s;
  return s.replace(WS_TRAILING, '');
}

/** Python `s.strip()`. */
export function pyStrip(s: string): string {
  return s.replace(WS_LEADING, '').replace(WS_TRAILING, '');
}

/** Python `"".join(s.split())`: removes every whitespace character. */
export function pyRemoveWhitespace(s: string): string {
  return s.replace(WS_RUN_G, '');
}

/** Python `s.lower()` (Unicode default lowercasing, final sigma included, as in JS). */
export function pyLower(s: string): string {
  return s.toLowerCase();
}

/** The string's code points (Python's characters). */
export function codePoints(s: string): string[] {
  return Array.from(s);
}

// ---------------------------------------------------------------------------------------------
// Floats

const view = new DataView(new ArrayBuffer(8));

/** The exact decimal expansion of a finite double as [digits, pointPosition] (value = 0.digits × 10^point). */
function exactDecimal(x: number): { digits: string; exp10: number } {
  // x = mant * 2^e exactly.
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (biased === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = biased - 1075;
  }
  if (e >= 0) return { digits: (mant << BigInt(e)).toString(), exp10: 0 };
  // mant / 2^-e = mant * 5^-e / 10^-e
  return { digits: (mant * 5n ** BigInt(-e)).toString(), exp10: e };
}

/** Python `f"{x:.{d}f}"`: round-half-even on the exact binary value. */
export function pyFixed(x: number, d: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const neg = x < 0 || Object.is(x, -0);
  const { digits, exp10 } = exactDecimal(Math.abs(x));
  // value = digits × 10^exp10; we want an integer n = round(value × 10^d).
  const shift = exp10 + d;
  let n: bigint;
  if (shift >= 0) n = BigInt(digits) * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    const big = BigInt(digits);
    n = big / div;
    const rem = big - n * div;
    const twice = rem * 2n;
    if (twice > div || (twice === div && n % 2n === 1n)) n += 1n;
  }
  let s = n.toString();
  if (d > 0) {
    s = s.padStart(d + 1, '0');
    s = `${s.slice(0, s.length - d)}.${s.slice(s.length - d)}`;
  }
  return neg ? `-${s}` : s;
}

/** Python `repr(float(x))`, e.g. `51.0`, `0.001998001998001998`, `1e-05`, `1.0000000000000002e-14`. */
export function pyRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // Shortest round-trip digits, as Python's repr uses.
  const [mant, expStr] = Math.abs(x).toExponential().split('e');
  const digits = mant!.replace('.', '');
  const exp = Number(expStr); // value = d.ddd × 10^exp
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const es = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${es}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Python `float(f"{x:.{d}f}")`: the number shown by sacreBLEU's JSON `score`. */
export function pyRound(x: number, d: number): number {
  return Number(pyFixed(x, d));
}

/** Python's `json.dumps` of a value made of dicts, lists, strings, floats, ints, None (ints given as bigint or via `PyInt`). */
export class PyInt {
  constructor(readonly value: number) {}
}

export type PyJson = null | boolean | string | number | PyInt | PyJson[] | { [key: string]: PyJson };

/** `json.dumps(value, indent=indent, ensure_ascii=False)` with Python float reprs (numbers are floats; PyInt are ints). */
export function pyJsonDumps(value: PyJson, indent: number, level = 0): string {
  const pad = ' '.repeat(indent * (level + 1));
  const end = ' '.repeat(indent * level);
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return pyRepr(value);
  if (value instanceof PyInt) return String(value.value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad + pyJsonDumps(v, indent, level + 1)).join(',\n')}\n${end}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${pyJsonDumps(v, indent, level + 1)}`).join(',\n')}\n${end}}`;
}
