// `parley corpus filter IN.tsv… -o OUT.tsv`: cleans tab-separated pair files before training (see @parley/text's
// filterPairs for the rules and why). The kept lines are written verbatim, every column included (source tags
// stay), in input order, to a new file: the inputs are never rewritten, and OUT may not be one of them.
// What each rule removed is reported per file; `--removed FILE` writes the removed lines with their rule, for a look.
import { basename } from 'node:path';
import { filterPairs, readLines, readPairs, writeFileAtomic, type PairFilterRule } from '@parley/text';
import { defineCommand, UsageError } from './command';
import { checkOutputTarget, refuseAsUsage } from './output-job';

interface Row {
  file: string;
  text: string;
  source: string;
  target: string;
}

async function readRows(file: string, sourceColumn: number, targetColumn: number): Promise<Row[]> {
  const lines = new Map<number, string>();
  for await (const { line, text } of readLines(file)) lines.set(line, text);
  const rows: Row[] = [];
  for await (const p of readPairs(file, { sourceColumn: sourceColumn - 1, targetColumn: targetColumn - 1 })) {
    rows.push({ file, text: lines.get(p.line) ?? '', source: p.source, target: p.target });
  }
  return rows;
}

export const filterCommand = defineCommand(
  {
    name: 'corpus filter',
    summary: 'clean tab-separated pair files: duplicates, lengths, copies, misaligned pairs',
    description:
      'Rules, in order (a pair counts under the first that removes it): identical sides, untranslated (copied words),\n' +
      'length in words, length ratio in characters, duplicates, and (with --noisy) the worst share by IBM Model 1 score.',
    positionals: [{ name: 'input', help: 'pair files (TAB-separated, UTF-8)', required: true, variadic: true }],
    options: {
      output: {
        type: 'string',
        short: 'o',
        arg: 'FILE',
        help: 'where the kept lines go (required; never one of the inputs)',
      },
      sourceColumn: { type: 'int', min: 1, default: 1, help: '1-based column of the source sentence' },
      targetColumn: { type: 'int', min: 1, default: 2, help: '1-based column of the target sentence' },
      dedupe: { type: 'string', choices: ['exact', 'near', 'source', 'none'], default: 'near', help: 'duplicate rule' },
      minWords: { type: 'int', min: 0, default: 1, help: 'fewest words on either side' },
      maxWords: { type: 'int', min: 0, default: 100, help: 'most words on either side (0 = no limit)' },
      maxRatio: { type: 'number', min: 0, default: 3, help: 'largest longer/shorter character ratio (0 = off)' },
      untranslated: {
        type: 'number',
        min: 0,
        max: 1,
        default: 0.8,
        help: 'drop pairs copying this share of source words (0 = off)',
      },
      keepIdentical: { type: 'boolean', help: 'keep pairs whose sides are identical' },
      noisy: {
        type: 'number',
        min: 0,
        max: 0.99,
        default: 0,
        help: 'drop this share of pairs with the worst IBM Model 1 scores',
      },
      removed: {
        type: 'string',
        arg: 'FILE',
        help: 'also write the removed lines, each with its rule as a last column',
      },
    },
  },
  async ({ opts, args }) => {
    const out = opts.output;
    if (!out) throw new UsageError('-o FILE is required');
    for (const target of [out, ...(opts.removed ? [opts.removed] : [])]) {
      refuseAsUsage(() => checkOutputTarget(target, args.input));
    }
    const rows: Row[] = [];
    for (const file of args.input) rows.push(...(await readRows(file, opts.sourceColumn, opts.targetColumn)));
    if (!rows.length) throw new Error(`no pairs in ${args.input.join(', ')}`);
    const result = filterPairs(
      rows.map((r) => [r.source, r.target] as const),
      {
        dropIdentical: !opts.keepIdentical,
        untranslatedShare: opts.untranslated,
        minWords: opts.minWords,
        maxWords: opts.maxWords,
        maxRatio: opts.maxRatio,
        dedupe: opts.dedupe as 'exact' | 'near' | 'source' | 'none',
        noisyShare: opts.noisy,
      },
    );
    const kept: string[] = [];
    const removed: string[] = [];
    const perFile = new Map<string, { read: number; kept: number } & Partial<Record<PairFilterRule, number>>>();
    result.verdicts.forEach((v, i) => {
      const row = rows[i]!;
      const stats = perFile.get(row.file) ?? { read: 0, kept: 0 };
      perFile.set(row.file, stats);
      stats.read++;
      if (v.kept) {
        stats.kept++;
        kept.push(row.text);
      } else {
        stats[v.rule!] = (stats[v.rule!] ?? 0) + 1;
        removed.push(`${row.text}\t${v.rule}`);
      }
    });
    writeFileAtomic(out, kept.map((l) => `${l}\n`).join(''));
    if (opts.removed) writeFileAtomic(opts.removed, removed.map((l) => `${l}\n`).join(''));
    for (const [file, s] of perFile) {
      const { read, kept: k, ...rules } = s;
      const detail = Object.entries(rules)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ');
      process.stderr.write(`${basename(file)}: ${read} pairs, kept ${k}${detail ? ` (removed: ${detail})` : ''}\n`);
    }
    process.stderr.write(`wrote ${result.kept} of ${rows.length} pairs to ${out}\n`);
    return 0;
  },
);
