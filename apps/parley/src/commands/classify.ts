// `parley classify`: label texts with a classifier model directory.
//   piped stdin → stdout, streaming (lines are classified as they arrive, in batches that close when the input
//   pauses: the same line batching as `parley translate`); -i FILE reads a file; a terminal gets a prompt.
// Exactly one output line per input line, always (an empty line stays empty). The line is the predicted label
// (multi-label: the predicted labels joined by commas); --with-score adds `<TAB>probability` after each label;
// --top K prints the K most probable labels, tab-separated, instead of the decision.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { initBackend } from '@parley/engine';
import { decide, loadClassifier, type TextClassifier } from '@parley/core';
import { readTextLines } from '@parley/text';
import { defineCommand } from '../command';
import { lineBatches } from '../line-batches';
import { DEFAULT_CLASSIFIER } from '../paths';

const OPTIONS = {
  model: {
    type: 'string',
    arg: 'DIR',
    default: DEFAULT_CLASSIFIER,
    defaultText: 'the bundled sentiment model',
    help: 'classifier model directory',
  },
  input: {
    type: 'string',
    short: 'i',
    arg: 'FILE',
    check: (f: string) => (existsSync(f) ? undefined : `${f}: input file not found`),
    help: 'read texts from FILE, one per line (default stdin; a terminal gets a prompt)',
  },
  withScore: { type: 'boolean', help: 'follow each label by a tab and its probability' },
  top: {
    type: 'int',
    arg: 'K',
    min: 1,
    help: 'print the K most probable labels (tab-separated) instead of the decision',
  },
} as const;
/** One output line for one probability row (never contains a newline). */
export function formatPrediction(
  c: TextClassifier,
  probs: ArrayLike<number>,
  o: { withScore: boolean; top?: number },
): string {
  const show = (i: number) => (o.withScore ? `${c.labels[i]}\t${probs[i]!.toFixed(4)}` : c.labels[i]!);
  if (o.top !== undefined) {
    const order = Array.from(probs, (_, i) => i).sort((a, b) => probs[b]! - probs[a]! || a - b);
    return order.slice(0, o.top).map(show).join('\t');
  }
  const chosen = decide(probs, c.head);
  return o.withScore ? chosen.map(show).join('\t') : chosen.map((i) => c.labels[i]).join(',');
}

/** Output lines for input lines: empty stays empty, the rest are classified in one call. */
export function classifyLines(
  c: TextClassifier,
  lines: readonly string[],
  o: { withScore: boolean; top?: number },
): string[] {
  const texts = lines.map((l) => l.trim());
  const todo = texts.map((t, i) => [t, i] as const).filter(([t]) => t !== '');
  const probs = c.predict(todo.map(([t]) => t));
  const out = texts.map(() => '');
  todo.forEach(([, i], j) => (out[i] = formatPrediction(c, probs[j]!, o)));
  return out;
}

async function interactive(c: TextClassifier): Promise<number> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
  process.stdout.write(`Labels: ${c.labels.join(', ')}. Type a text and press Enter (Ctrl-D or Ctrl-C to quit).\n`);
  rl.prompt();
  for await (const line of rl) {
    if (line.trim()) {
      const p = c.predict([line.trim()])[0]!;
      const order = Array.from(p, (_, i) => i)
        .sort((a, b) => p[b]! - p[a]!)
        .slice(0, 5);
      for (const i of order)
        process.stdout.write(
          `  ${c.labels[i]!.padEnd(16)} ${'█'.repeat(Math.round(p[i]! * 30)).padEnd(30)} ${p[i]!.toFixed(3)}\n`,
        );
    }
    rl.prompt();
  }
  process.stdout.write('\n');
  return 0;
}

export const command = defineCommand(
  {
    name: 'classify',
    summary: 'label texts (stdin, a file or an interactive prompt) with a classifier model',
    description: 'Exactly one output line per input line, always (an empty line stays empty); piped stdin streams.',
    options: OPTIONS,
  },
  async ({ opts: a }) => {
    const o = { withScore: a.withScore, ...(a.top !== undefined ? { top: a.top } : {}) };
    await initBackend();
    const c = await loadClassifier(a.model);
    if (a.input !== undefined) {
      const lines = readTextLines(a.input);
      for (let i = 0; i < lines.length; i += 1024)
        process.stdout.write(
          classifyLines(c, lines.slice(i, i + 1024), o)
            .map((l) => l + '\n')
            .join(''),
        );
      return 0;
    }
    if (process.stdin.isTTY) return interactive(c);
    for await (const batch of lineBatches(process.stdin, { budget: 256, cost: () => 1, maxLines: 256 })) {
      process.stdout.write(
        classifyLines(c, batch, o)
          .map((l) => l + '\n')
          .join(''),
      );
    }
    return 0;
  },
);
