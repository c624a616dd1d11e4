// The Tercom tokenizer TER uses: lowercasing unless case-sensitive, optional normalization
// (mteval-like punctuation splitting, optionally Asian characters split) and punctuation removal.
import { PY_WS_CLASS, pySplit } from './python';

export interface TercomOptions {
  /** Normalize punctuation and XML escapes like Tercom's `-N` (default false). */
  normalized?: boolean;
  /** Remove punctuation (default false). */
  noPunct?: boolean;
  /** Split CJK characters (with `normalized`) and drop CJK punctuation (with `noPunct`) (default false). */
  asianSupport?: boolean;
  /** Keep case; by default everything is lowercased (default false). */
  caseSensitive?: boolean;
}

function normalizeGeneralAndWestern(sent: string): string {
  sent = sent.replace(/\n-/gu, '').replace(/\n/gu, ' ');
  sent = sent
    .replace(/&quot;/gu, '"')
    .replace(/&amp;/gu, '&')
    .replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>');
  sent = ` ${sent} `;
  sent = sent.replace(/([\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40\x2f])/gu, ' $1 ');
  sent = sent.replace(/'s /gu, " 's ").replace(/'s$/gu, " 's");
  sent = sent.replace(/([^0-9])([.,])/gu, '$1 $2 ');
  sent = sent.replace(/([.,])([^0-9])/gu, ' $1 $2');
  sent = sent.replace(/([0-9])(-)/gu, '$1 $2 ');
  return sent;
}

const ASIAN_PUNCT = /([\u3001\u3002\u3008-\u3011\u3014-\u301f\uff61-\uff65\u30fb])/gu;
const FULL_WIDTH_PUNCT = /([\uff0e\uff0c\uff1f\uff1a\uff1b\uff01\uff02\uff08\uff09])/gu;

function normalizeAsian(sent: string): string {
  sent = sent.replace(/([\u4e00-\u9fff\u3400-\u4dbf])/gu, ' $1 ');
  sent = sent.replace(/([\u31c0-\u31ef\u2e80-\u2eff])/gu, ' $1 ');
  sent = sent.replace(/([\u3300-\u33ff\uf900-\ufaff\ufe30-\ufe4f])/gu, ' $1 ');
  sent = sent.replace(/([\u3200-\u3f22])/gu, ' $1 ');
  // Hiragana, Katakana and Katakana phonetic extensions: split only when alone on the line,
  // exactly as sacreBLEU's patterns (whose inner `^` are anchors) do.
  sent = sent.replace(/(^|^[\u3040-\u309f])([\u3040-\u309f]+)(?=$|^[\u3040-\u309f])/gu, '$1 $2 ');
  sent = sent.replace(/(^|^[\u30a0-\u30ff])([\u30a0-\u30ff]+)(?=$|^[\u30a0-\u30ff])/gu, '$1 $2 ');
  sent = sent.replace(/(^|^[\u31f0-\u31ff])([\u31f0-\u31ff]+)(?=$|^[\u31f0-\u31ff])/gu, '$1 $2 ');
  sent = sent.replace(ASIAN_PUNCT, ' $1 ').replace(FULL_WIDTH_PUNCT, ' $1 ');
  return sent;
}

const WS_RUN = new RegExp(`[${PY_WS_CLASS}]+`, 'gu');
const WS_LEAD = new RegExp(`^[${PY_WS_CLASS}]+`, 'u');
const WS_TRAIL = new RegExp(`[${PY_WS_CLASS}]+$`, 'u');

/** Tercom tokenization of one sentence (returns a string to split on whitespace). */
export class TercomTokenizer {
  private readonly normalized: boolean;
  private readonly noPunct: boolean;
  private readonly asianSupport: boolean;
  private readonly caseSensitive: boolean;

  constructor(options: TercomOptions = {}) {
    this.normalized = options.normalized ?? false;
    this.noPunct = options.noPunct ?? false;
    this.asianSupport = options.asianSupport ?? false;
    this.caseSensitive = options.caseSensitive ?? false;
  }

  tokenize(sent: string): string {
    if (!sent) return '';
    if (!this.caseSensitive) sent = sent.toLowerCase();
    if (this.normalized) {
      sent = normalizeGeneralAndWestern(sent);
      if (this.asianSupport) sent = normalizeAsian(sent);
      sent = sent.replace(WS_RUN, ' ').replace(WS_LEAD, '').replace(WS_TRAIL, '');
    }
    if (this.noPunct) {
      sent = sent.replace(/[.,?:;!"()]/gu, '');
      if (this.asianSupport) sent = sent.replace(ASIAN_PUNCT, '').replace(FULL_WIDTH_PUNCT, '');
    }
    // sacreBLEU 2.6.0 returns the words joined by single spaces.
    return pySplit(sent).join(' ');
  }

  /** sacreBLEU 2.6.0 names this tokenizer `tercom` in TER signatures. */
  signature(): string {
    return 'tercom';
  }
}
