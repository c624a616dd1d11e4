// `parley average -o OUT DIR...`: averages the weights of several seq2seq model directories of one run
// (typically its checkpoints/best-*), writing a model directory that `parley translate` and `parley test` load.
import { existsSync } from 'node:fs';
import { initBackend } from '@parley/engine';
import { averageSeq2seq, bestCheckpointDirs } from '@parley/core';
import type { Command } from '../cli';

const USAGE = `usage: parley average -o OUT [--dtype float32|float16|int8] DIR... | --best RUN_DIR
  -o, --out DIR   where the averaged model goes (written file by file, atomically)
  --best RUN_DIR  average the best-K checkpoints of a training run (RUN_DIR/checkpoints/best-*)
  --dtype D       weight storage of the output (default float16)
`;

export const command: Command = {
  summary: 'average the weights of checkpoints of one seq2seq run into a model directory',
  async run(argv) {
    let out: string | undefined;
    let dtype: 'float32' | 'float16' | 'int8' = 'float16';
    const dirs: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-o' || a === '--out') out = argv[++i];
      else if (a === '--best') dirs.push(...bestCheckpointDirs(argv[++i] ?? '').sort());
      else if (a === '--dtype') {
        const d = argv[++i];
        if (d !== 'float32' && d !== 'float16' && d !== 'int8') {
          process.stderr.write(`parley average: --dtype must be float32, float16 or int8\n${USAGE}`);
          return 2;
        }
        dtype = d;
      } else if (a === '-h' || a === '--help') {
        process.stdout.write(USAGE);
        return 0;
      } else if (a.startsWith('-')) {
        process.stderr.write(`parley average: unknown option ${a}\n${USAGE}`);
        return 2;
      } else dirs.push(a);
    }
    if (!out || dirs.length === 0) {
      process.stderr.write(`parley average: ${!out ? 'missing -o OUT' : 'no checkpoints to average'}\n${USAGE}`);
      return 2;
    }
    const missing = dirs.find((d) => !existsSync(d));
    if (missing) {
      process.stderr.write(`parley average: ${missing}: no such model directory\n`);
      return 1;
    }
    try {
      await initBackend();
      await averageSeq2seq(dirs, out, { dtype });
      process.stdout.write(`averaged ${dirs.length} checkpoints → ${out}\n${dirs.map((d) => `  ${d}`).join('\n')}\n`);
      return 0;
    } catch (err) {
      process.stderr.write(`parley average: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  },
};
