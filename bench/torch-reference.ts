// PyTorch as a reference for `npm run bench -- rnn --reference torch`: runs $PARLEY_SHARED/reference/torch_charlm.py
// (the char-LM of SHAPE: vocab 80, embedding 64, LSTM 256, batch 64 × 64, Adam; see its README) once per call, so
// its runs can alternate with Parley's. The GRU variant is the same script with nn.GRU in place of nn.LSTM.
// Uses /usr/bin/python3 (Debian's python3-torch) or PARLEY_PYTHON; unavailable() says why it cannot run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const python = process.env.PARLEY_PYTHON ?? '/usr/bin/python3';
const script = join(process.env.PARLEY_SHARED ?? '../shared', 'reference/torch_charlm.py');

/** Why the reference cannot run here, or undefined when it can. */
export function unavailable(): string | undefined {
  if (!existsSync(script)) return `${script} not found (set PARLEY_SHARED)`;
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) return `${python} cannot import torch (apt-get install -y python3-torch libopenblas0-pthread)`;
  return undefined;
}

/** PyTorch's version, for the report. */
export function torchVersion(): string {
  return spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim();
}

/** One run of the reference: training and forward tokens per second with `threads` threads. */
export function torchRun(cell: 'lstm' | 'gru', threads: number): { train: number; forward: number } {
  let source = readFileSync(script, 'utf8');
  if (cell === 'gru') source = source.replace('nn.LSTM(', 'nn.GRU(');
  const r = spawnSync(python, ['-', String(threads)], { input: source, encoding: 'utf8' });
  // "torch 1.13.0 threads=1 train step 120 ms = 34133 tok/s; forward 120000 tok/s"
  const m = /= (\d+) tok\/s; forward (\d+) tok\/s/.exec(r.stdout);
  if (r.status !== 0 || !m)
    throw new Error(`torch reference failed: ${(r.stderr || r.stdout).trim().split('\n').at(-1)}`);
  return { train: Number(m[1]), forward: Number(m[2]) };
}
