// Google's SentencePiece command-line tools (Debian package `sentencepiece`), for parity tests.
import { spawnSync } from 'node:child_process';

/** Whether spm_train / spm_encode / spm_normalize are on PATH. */
export const hasSpm =
  spawnSync('sh', ['-c', 'command -v spm_encode && command -v spm_train && command -v spm_normalize']).status === 0;

/** Why spm parity tests skip (printed once), or undefined when the tools are there. */
export function spmSkipReason(): string | undefined {
  if (hasSpm) return undefined;
  const reason = 'skipped: spm_train/spm_encode not found (apt-get install sentencepiece)';
  process.stderr.write(`${reason}\n`);
  return reason;
}

/** Runs an spm tool with `input` on stdin; returns stdout lines (throws on failure). */
export function spm(tool: string, args: string[], input = ''): string[] {
  const r = spawnSync(tool, args, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr}`);
  const lines = r.stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
