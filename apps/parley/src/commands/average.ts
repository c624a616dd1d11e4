// `parley average -o OUT DIR...`: averages the weights of several seq2seq model directories of one run
// (typically its checkpoints/best-*), writing a model directory that `parley translate` and `parley test` load.
// -o is checked before any work: not one of the inputs, not a file, writable, and holding nothing but a model
// of the same run (the rule training runs follow) unless --overwrite.
import { existsSync } from 'node:fs';
import { initBackend } from '@parley/engine';
import { averageSeq2seq, bestCheckpointDirs, foreignContents, NotOurDirectoryError, readManifest } from '@parley/core';
import { defineCommand, UsageError } from '../command';
import { checkOutputDir, refuseAsUsage } from '../output-job';

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
      overwrite: {
        type: 'boolean',
        help: 'replace an -o directory that holds another model or files Parley did not write',
      },
    },
  },
  async ({ opts, args }) => {
    const dirs = [...args.dirs, ...(opts.best !== undefined ? bestCheckpointDirs(opts.best).sort() : [])];
    if (!opts.out) throw new UsageError('missing -o OUT');
    const [firstDir] = dirs;
    if (firstDir === undefined) throw new UsageError('no checkpoints to average');
    const missing = dirs.find((d) => !existsSync(d));
    if (missing) throw new Error(`${missing}: no such model directory`);
    const out = opts.out;
    // The output is named after the run (its manifest says so): a later average may replace it.
    const name = readManifest(firstDir).name ?? 'averaged';
    refuseAsUsage(() => {
      checkOutputDir(out, dirs);
      const holds = foreignContents(out, { kind: 'seq2seq', name });
      if (holds && !opts.overwrite) throw new NotOurDirectoryError(out, holds);
    });
    await initBackend();
    await averageSeq2seq(dirs, out, { dtype: opts.dtype, name });
    process.stdout.write(
      `averaged ${dirs.length} checkpoints → ${opts.out}\n${dirs.map((d) => `  ${d}`).join('\n')}\n`,
    );
    return 0;
  },
);
