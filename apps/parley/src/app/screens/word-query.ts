// What the Embeddings screen's input line asks for, read as it is typed:
//   `cat`                      the words nearest to cat
//   `king man woman`           three bare words: the analogy king − man + woman (as `parley embeddings analogy`)
//   `king - man + woman`       explicit signs, any number of words (`-man` and `+woman` work too)
//   `paris berlin`             other bare words are all added (the words nearest to their sum)
// A sign with no word after it yet (while typing `king -`) is left out, so the answer so far stays on screen.

export interface WordQuery {
  /** Words added to the query vector. */
  positive: string[];
  /** Words subtracted. */
  negative: string[];
  /** The query as the screen shows it, e.g. `king − man + woman`. */
  shown: string;
}

/** What a sign character does to the word it stands before (− is the typographic minus). */
const SIGNS: Readonly<Record<string, 1 | -1>> = { '+': 1, '-': -1, '−': -1 };

/** Reads the input line; undefined when it names no word. */
export function parseWordQuery(line: string): WordQuery | undefined {
  const terms: { word: string; sign: 1 | -1; explicit: boolean }[] = [];
  let pending: 1 | -1 | undefined; // a sign typed on its own, waiting for its word
  for (const token of line.trim().split(/\s+/).filter(Boolean)) {
    const own = SIGNS[token[0]!];
    if (own && token.length === 1) {
      pending = own;
      continue;
    }
    const sign = own ?? pending;
    terms.push({ word: own ? token.slice(1) : token, sign: sign ?? 1, explicit: sign !== undefined });
    pending = undefined;
  }
  if (!terms.length) return undefined;
  if (terms.length === 3 && !terms.some((t) => t.explicit)) terms[1]!.sign = -1; // king man woman
  const positive = terms.filter((t) => t.sign === 1).map((t) => t.word);
  const negative = terms.filter((t) => t.sign === -1).map((t) => t.word);
  const shown = terms.map((t, i) => `${t.sign === -1 ? '− ' : i > 0 ? '+ ' : ''}${t.word}`).join(' ');
  return { positive, negative, shown };
}
