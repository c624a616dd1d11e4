// With tfjs-node installed, the CLI prints nothing of TensorFlow's on stderr: libtensorflow's absl start-up
// lines ("WARNING: All log messages before absl::InitializeLog()…", "oneDNN custom operations are on…") and
// its info lines are silenced by the engine's backend choice, without the user setting TF_CPP_MIN_LOG_LEVEL,
// when stderr is a terminal, a pipe or a file (not a socket: see packages/engine/src/native-stderr.ts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/shared';
import { spawnSyncFileStderr } from './support/spawn-sync';

const BIN = join(REPO_ROOT, 'apps/parley/bin/parley.js');

/** Why the tests skip: tfjs-node (optional) is not installed or its binding does not load here. */
function skipReason(): string | undefined {
  const probe = spawnSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node')"], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (probe.status === 0) return undefined;
  const reason =
    'skipped: @tensorflow/tfjs-node is not installed or does not load (see ../shared/tools/setup-tfjs-node.sh)';
  process.stderr.write(`${reason}\n`);
  return reason;
}
const skip = skipReason();

/** The user's environment on the node backend, minus any TensorFlow log settings. */
function nodeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', PARLEY_BACKEND: 'node' };
  delete env.TF_CPP_MIN_LOG_LEVEL;
  delete env.PARLEY_DEBUG;
  return env;
}

/** Runs `parley` with stderr to a file, as `parley … 2> file` in a shell. */
const parley = (args: string[], input?: string) =>
  spawnSyncFileStderr(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    input,
    encoding: 'utf8',
    env: nodeEnv(),
    timeout: 300_000,
  });

describe.skipIf(skip)('the node backend is quiet', () => {
  it('parley backend prints its line on stdout and nothing on stderr (a file, a pipe)', () => {
    const r = parley(['backend']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^backend: node/);
    expect(r.stderr).toBe('');
    // `parley backend 2>&1 >/dev/null | cat`: stderr into a shell pipe.
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" backend 2>&1 >/dev/null | cat`], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: nodeEnv(),
      timeout: 300_000,
    });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe('');
  });

  it.skipIf(!existsSync(join(REPO_ROOT, 'apps/parley/models/pt-en/manifest.json')))(
    'parley translate runs ops on libtensorflow and prints nothing on stderr',
    () => {
      const r = parley(['translate', '--beam', '2'], 'Eu gosto de gatos.\n');
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim().length).toBeGreaterThan(0);
      expect(r.stderr).toBe('');
    },
  );
});
