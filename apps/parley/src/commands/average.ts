// `parley average -o OUT DIR...`: averages the weights of several seq2seq model directories of one run
// (typically its checkpoints/best-*), writing a model directory that `parley translate` and `parley test` load.
import { existsSync } from 'node:fs';
import { initBackend } from '@parley/engine';
import { averageSeq2seq, bestCheckpointDirs } from '@parley/core';
import { defineCommand, UsageError } from '../command';

export const command = defineCommand(
  {
    name: 'average',
    summary: 'average the weights of checkpoints of one seq2seq run into a model directory',
    positionals: [{ name: 'dirs', help: 'model or checkpoint directories to average', variadic: true }],
    options: {
      out: {
        type: 'string',
        short: 'o',
        arg: 'DIR',
        help: 'where the averaged model goes (written file by file, atomically); required',
      },
      best: {
        type: 'string',
        arg: 'RUN_DIR',
        help: 'average the best-K checkpoints of a training run (RUN_DIR/checkpoints/best-*)',
      },
      dtype: {
        type: 'string',
        choices: ['float32', 'float16', 'int8'],
        default: 'float16',
        help: 'weight storage of the output',
      },
    },
  },
  async ({ opts, args }) => {
    const dirs = [...args.dirs, ...(opts.best !== undefined ? bestCheckpointDirs(opts.best).sort() : [])];
    if (!opts.out) throw new UsageError('missing -o OUT');
    if (dirs.length === 0) throw new UsageError('no checkpoints to average');
    const missing = dirs.find((d) => !existsSync(d));
    if (missing) throw new Error(`${missing}: no such model directory`);
    await initBackend();
    await averageSeq2seq(dirs, opts.out, { dtype: opts.dtype });
    process.stdout.write(
      `averaged ${dirs.length} checkpoints → ${opts.out}\n${dirs.map((d) => `  ${d}`).join('\n')}\n`,
    );
    return 0;
  },
);
