// Unknown-word replacement (Luong et al. 2015): an output <unk> becomes the source token it attended to most.

/**
 * Replaces every `unk` in `outputTokens` with the source token of highest attention at that step.
 * @param attention [target step][source position], as returned by the searches.
 */
export function replaceUnknown(
  outputTokens: readonly string[],
  attention: readonly (readonly number[])[],
  sourceTokens: readonly string[],
  unk: string,
): string[] {
  return outputTokens.map((tok, t) => {
    if (tok !== unk) return tok;
    const row = attention[t];
    if (!row || row.length === 0) return tok;
    let best = 0;
    for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
    return sourceTokens[best] ?? tok;
  });
}
