// BLEU tokenizers, as sacreBLEU 2.6.0 applies them: `13a` (mteval-v13a, the default), `intl`
// (mteval-v14 international), `char`, `none` and `zh`. Each maps a raw line to a space-joined token string.
import { pyNormalizeSpace, pyStrip } from './python';

/** The BLEU tokenizer names Parley implements. */
export const TOKENIZERS = ['none', 'zh', '13a', 'char', 'intl'] as const;
export type TokenizerName = (typeof TOKENIZERS)[number];

export type Tokenizer = (line: string) => string;

// mteval-v13a's language-dependent part (shared by `13a` and `zh`).
// (sacreBLEU's class also contains the space, which only multiplies spaces; left out here.)
const RE_PUNCT = /([\x7b-\x7e\x5b-\x60\x21-\x26\x28-\x2b\x3a-\x40\x2f])/gu;
const RE_PERIOD_COMMA_AFTER_NONDIGIT = /([^0-9])([.,])/gu;
const RE_PERIOD_COMMA_BEFORE_NONDIGIT = /([.,])([^0-9])/gu;
const RE_DASH_AFTER_DIGIT = /([0-9])(-)/gu;

function postTokenize(line: string): string {
  line = line.replace(RE_PUNCT, ' $1 ');
  if (line.includes('.') || line.includes(',')) {
    line = line.replace(RE_PERIOD_COMMA_AFTER_NONDIGIT, '$1 $2 ');
    line = line.replace(RE_PERIOD_COMMA_BEFORE_NONDIGIT, ' $1 $2');
  }
  if (line.includes('-')) line = line.replace(RE_DASH_AFTER_DIGIT, '$1 $2 ');
  return pyNormalizeSpace(line);
}

/** mteval-v13a tokenization (sacreBLEU's default). */
export function tokenize13a(line: string): string {
  if (line.includes('<skipped>')) line = line.replaceAll('<skipped>', '');
  if (line.includes('\n')) line = line.replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&')) {
    line = line.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  return postTokenize(` ${line} `);
}

const RE_INTL_PUNCT_AFTER_NONDIGIT = /(\P{N})(\p{P})/gu;
const RE_INTL_PUNCT_BEFORE_NONDIGIT = /(\p{P})(\P{N})/gu;
const RE_INTL_SYMBOL = /(\p{S})/gu;

/** mteval-v14 international tokenization: splits Unicode punctuation and symbols. */
export function tokenizeIntl(line: string): string {
  line = line.replace(RE_INTL_PUNCT_AFTER_NONDIGIT, '$1 $2 ');
  line = line.replace(RE_INTL_PUNCT_BEFORE_NONDIGIT, ' $1 $2');
  line = line.replace(RE_INTL_SYMBOL, ' $1 ');
  return pyNormalizeSpace(line);
}

/** Every character (code point) becomes a token. */
export function tokenizeChar(line: string): string {
  return Array.from(line).join(' ');
}

/** No tokenization. */
export function tokenizeNone(line: string): string {
  return line;
}

// sacreBLEU's Chinese ranges, compared as Python strings. Two of its bounds are written '\u20000' and
// '\u2f800', which Python reads as two characters ('\u2000'+'0', '\u2f80'+'0'): a lone character c
// is then within the range when c > U+2000 and c <= U+2A6D (resp. c > U+2F80 and c <= U+2FA1).
// Reproduced as is, since it decides which characters are split.
const ZH_RANGES: Array<[number, number]> = [
  [0x3400, 0x4db5],
  [0x4e00, 0x9fa5],
  [0x9fa6, 0x9fbb],
  [0xf900, 0xfa2d],
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0x2001, 0x2a6d],
  [0x2f81, 0x2fa1],
  [0xff00, 0xffef],
  [0x2e80, 0x2eff],
  [0x3000, 0x303f],
  [0x31c0, 0x31ef],
  [0x2f00, 0x2fdf],
  [0x2ff0, 0x2fff],
  [0x3100, 0x312f],
  [0x31a0, 0x31bf],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0x2600, 0x26ff],
  [0x2700, 0x27bf],
  [0x3200, 0x32ff],
  [0x3300, 0x33ff],
];

function isChineseChar(cp: number): boolean {
  for (const [start, end] of ZH_RANGES) if (cp >= start && cp <= end) return true;
  return false;
}

/** Chinese: every Chinese character is a token, the rest is tokenized as `13a` (without its XML unescaping). */
export function tokenizeZh(line: string): string {
  line = pyStrip(line);
  let out = '';
  for (const ch of line) out += isChineseChar(ch.codePointAt(0)!) ? ` ${ch} ` : ch;
  return postTokenize(out);
}

/** The tokenizer called `name` (throws on an unknown name, listing the known ones). */
export function getTokenizer(name: string): Tokenizer {
  switch (name) {
    case '13a':
      return tokenize13a;
    case 'intl':
      return tokenizeIntl;
    case 'char':
      return tokenizeChar;
    case 'none':
      return tokenizeNone;
    case 'zh':
      return tokenizeZh;
    default:
      throw new Error(`unknown tokenizer '${name}' (known: ${TOKENIZERS.join(', ')})`);
  }
}
