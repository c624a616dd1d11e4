// Parley as a user gets it: `npm pack --workspaces`, then the tarballs installed from local files into an
// empty project (the npm registry, or its cache, only for third-party dependencies). Checks `npx parley
// translate` with the bundled model, `npx parley eval`, and examples/quickstart.mjs with plain node (no tsx,
// no source condition). (The global install, `npm i -g` of the same tarballs, is scripts/check-global-install.sh
// in .ci/run: it unpacks TensorFlow.js once per package, too slow for `npm test`.) Built dist/ is reused
// when it is newer than every source file (CI runs `npm run build` first), else this builds it. Skips, saying
// why, without npm or when the dependencies cannot be fetched (no registry and nothing cached).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACES } from '../scripts/build.mjs';
import { REPO_ROOT } from './support/shared';

/** npm settings of this machine that the child npm keeps (cache, registry, certificates); the rest of npm's env is this checkout's. */
const KEEP_NPM =
  /^npm_config_(cache|registry|cafile|userconfig|globalconfig|proxy|https_proxy|noproxy|strict_ssl|offline|prefer_offline)$/i;
/** A user's environment: no source condition, no npm settings of the checkout's scripts. */
const USER_ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => k !== 'NODE_OPTIONS' && k !== 'INIT_CWD' && (!/^npm_/i.test(k) || KEEP_NPM.test(k)),
  ),
) as NodeJS.ProcessEnv;
const NETWORK_ERROR = /E(NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|NETUNREACH|TIMEDOUT)|ENOTCACHED|network|offline/i;

let work = '';
let project = '';
let skipReason = '';

function run(cmd: string, args: string[], cwd: string, input?: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, input, encoding: 'utf8', env: { ...USER_ENV, CI: 'true' }, timeout: 600_000 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** Newest modification time of the files under dir (0 when it does not exist). */
function newest(dir: string): number {
  let t = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
  } catch {
    return 0;
  }
  return t;
}

/** Why dist/ must be rebuilt, or undefined when every workspace's dist is newer than its src and package.json. */
function staleDist(): string | undefined {
  for (const ws of WORKSPACES) {
    const dist = join(REPO_ROOT, ws, 'dist');
    let built = 0;
    try {
      built = statSync(join(dist, 'index.js')).mtimeMs;
    } catch {
      return `${ws}/dist is missing`;
    }
    if (newest(join(REPO_ROOT, ws, 'src')) > built || statSync(join(REPO_ROOT, ws, 'package.json')).mtimeMs > built)
      return `${ws}/src changed after its build`;
  }
  return undefined;
}

beforeAll(() => {
  if (run('npm', ['--version'], REPO_ROOT).status !== 0) {
    skipReason = 'npm is not on PATH';
    return;
  }
  const stale = staleDist();
  if (stale) {
    console.log(`install test: ${stale}; running npm run build`);
    ok(run('npm', ['run', '-s', 'build'], REPO_ROOT), 'npm run build');
  }
  work = mkdtempSync(join(tmpdir(), 'parley-install-'));
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  ok(
    run('npm', ['pack', '--workspaces', '--silent', '--pack-destination', tarballs], REPO_ROOT),
    'npm pack --workspaces',
  );
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));

  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'parley-user', private: true, type: 'module' }, null, 2),
  );
  const flags = ['--no-audit', '--no-fund', '--prefer-offline', '--omit=optional'];
  const local = run('npm', ['install', ...flags, ...files], project);
  if (local.status !== 0 && NETWORK_ERROR.test(local.stderr)) {
    skipReason = `the third-party dependencies cannot be fetched (no registry, nothing cached): ${local.stderr.split('\n').find((l) => NETWORK_ERROR.test(l))}`;
    return;
  }
  ok(local, 'npm install of the tarballs');
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('installed from the packed tarballs', () => {
  it('the tarballs ship dist, README and the bundled models, not sources or tests', ({ skip }) => {
    if (skipReason) skip(skipReason);
    const app = join(project, 'node_modules/@parley/app');
    const shipped = readdirSync(app).sort();
    expect(shipped).toEqual(expect.arrayContaining(['README.md', 'bin', 'dist', 'models', 'package.json']));
    expect(shipped).not.toContain('src');
    expect(shipped).not.toContain('test');
    expect(readdirSync(join(app, 'models'))).toEqual(expect.arrayContaining(['pt-en', 'sheldon']));
    for (const name of ['engine', 'text', 'decode', 'core', 'metrics']) {
      const files = readdirSync(join(project, 'node_modules/@parley', name));
      expect(files).toContain('dist');
      expect(files).not.toContain('src');
    }
  });

  it('`npx parley translate` turns Portuguese into English with the bundled model', ({ skip }) => {
    if (skipReason) skip(skipReason);
    const out = ok(
      run('npx', ['--no', 'parley', 'translate'], project, 'Eu gosto de ler livros.\n'),
      'npx parley translate',
    );
    const lines = out.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\b(books|read|reading)\b/i);
  });

  it('`npx parley eval` scores a file (sacreBLEU JSON)', ({ skip }) => {
    if (skipReason) skip(skipReason);
    writeFileSync(join(project, 'ref.txt'), 'the cat sat on the mat\nI like books\n');
    writeFileSync(join(project, 'hyp.txt'), 'the cat sat on a mat\nI like books\n');
    const out = ok(
      run('npx', ['--no', 'parley', 'eval', 'ref.txt', '-i', 'hyp.txt', '-m', 'bleu'], project),
      'npx parley eval',
    );
    const report = JSON.parse(out) as { name: string; score: number };
    expect(report.name).toBe('BLEU');
    expect(report.score).toBeGreaterThan(50);
    expect(report.score).toBeLessThan(100);
  });

  it('examples/quickstart.mjs runs with plain node: beam-5 translations, a streamed Sheldon reply, BLEU', ({
    skip,
  }) => {
    if (skipReason) skip(skipReason);
    copyFileSync(join(REPO_ROOT, 'examples/quickstart.mjs'), join(project, 'quickstart.mjs'));
    const out = ok(run(process.execPath, ['quickstart.mjs'], project), 'node quickstart.mjs');
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/\b(books|read|reading)\b/i);
    expect(lines[1]).toMatch(/station/i);
    expect(lines[2]).toMatch(/^Sheldon: \S/);
    expect(out).toMatch(/^BLEU = \d+\.\d+ /m);
  });
});
