// Unicode script of a code point, as SentencePiece's trainer uses it: a piece may not mix scripts
// (Hiragana and Katakana count as Han; combining marks take the script of the character before).

const SCRIPTS = [
  'Latin',
  'Common',
  'Inherited',
  'Greek',
  'Cyrillic',
  'Han',
  'Hiragana',
  'Katakana',
  'Arabic',
  'Hebrew',
  'Hangul',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Georgian',
  'Armenian',
  'Ethiopic',
  'Khmer',
  'Mongolian',
  'Syriac',
  'Thaana',
  'Bopomofo',
  'Yi',
  'Cherokee',
  'Canadian_Aboriginal',
  'Runic',
  'Ogham',
  'Braille',
  'Coptic',
  'Tifinagh',
  'Nko',
] as const;
const TESTS = SCRIPTS.map((s) => new RegExp(`^\\p{Script=${s}}$`, 'u'));

/** Script ids with special meaning. */
export const SCRIPT_COMMON = 1;
export const SCRIPT_INHERITED = 2;
export const SCRIPT_HAN = 5;
const HIRAGANA = 6;
const KATAKANA = 7;
const UNKNOWN = SCRIPTS.length;

const cache = new Map<number, number>();

/** A small integer naming the script of `cp` (Hiragana/Katakana and U+30FC folded into Han; other scripts share one id). */
export function scriptOf(cp: number): number {
  let s = cache.get(cp);
  if (s === undefined) {
    const ch = String.fromCodePoint(cp);
    const i = TESTS.findIndex((re) => re.test(ch));
    s = i < 0 ? UNKNOWN : i;
    if (s === HIRAGANA || s === KATAKANA || cp === 0x30fc) s = SCRIPT_HAN;
    cache.set(cp, s);
  }
  return s;
}

/** Whether `cp` is a decimal digit (for `splitDigits`) or a number character (for `splitByNumber: false`). */
export function isNumber(cp: number): boolean {
  return /^\p{N}$/u.test(String.fromCodePoint(cp));
}
