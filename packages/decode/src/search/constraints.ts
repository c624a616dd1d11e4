// Length and repetition constraints shared by greedy and beam search (applied per row by candidates.ts).
import { searchSettings, type SearchOptions } from './types';

/** GNMT length penalty ((5 + len) / 6)^α (Wu et al. 2016); 1 when α = 0. */
export function lengthPenalty(length: number, alpha: number): number {
  return alpha === 0 ? 1 : Math.pow((5 + length) / 6, alpha);
}

/** Minimum and maximum output lengths (EOS excluded) for a source of `srcLength` tokens. */
export function lengthBounds(srcLength: number, options: SearchOptions): { min: number; max: number } {
  const opts = searchSettings(options);
  let max = opts.maxLength;
  if (opts.maxLengthRatio !== undefined) max = Math.min(max, Math.max(1, Math.ceil(opts.maxLengthRatio * srcLength)));
  let min = opts.minLength;
  if (opts.minLengthRatio !== undefined) min = Math.max(min, Math.floor(opts.minLengthRatio * srcLength));
  return { min: Math.min(min, max), max };
}

/** Tokens that would complete an n-gram already present in `tokens` (no-repeat-n-gram). */
export function bannedTokens(tokens: readonly number[], n: number): Set<number> {
  const banned = new Set<number>();
  if (n <= 0 || tokens.length < n - 1) return banned;
  if (n === 1) return new Set(tokens);
  const prefix = tokens.slice(tokens.length - (n - 1)).join(',');
  for (let i = 0; i + n <= tokens.length; i++) {
    if (tokens.slice(i, i + n - 1).join(',') === prefix) banned.add(tokens[i + n - 1]!);
  }
  return banned;
}
