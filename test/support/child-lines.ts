// Reading a child process's stdout line by line, so a test can wait for the n-th answer of a streaming command.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/** Collects a child's stdout as lines and lets a test wait for the n-th one. */
export function stdoutLines(child: ChildProcessWithoutNullStreams) {
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  /** Resolves with the lines once there are `n` of them; rejects after `ms` or if the child exits first. */
  const waitFor = (n: number, ms = 300_000) =>
    // generous: the child starts slowly on a busy machine
    new Promise<string[]>((resolve, reject) => {
      const check = () => {
        if (lines.length < n) return;
        cleanup();
        resolve([...lines]);
      };
      const onExit = () => {
        cleanup();
        reject(new Error(`exited with ${lines.length} of ${n} lines; stderr: ${stderr}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for line ${n} (have ${lines.length}); stderr: ${stderr}`));
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.off('exit', onExit);
      };
      child.stdout.on('data', check);
      child.on('exit', onExit);
      check();
    });
  return { lines, waitFor, stderr: () => stderr, partial: () => partial };
}
