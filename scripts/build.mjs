// `npm run build`: compiles every workspace to its dist/ (JavaScript, .d.ts and source maps) with plain tsc,
// in dependency order, so each one type-checks against the .d.ts files of the ones it imports. Sources use
// extensionless relative imports (bundler style); Node's ESM loader needs full paths, so each emitted
// `./x` / `../y` specifier is rewritten to the file tsc wrote (`./x.js`, `../y/index.js`). Files in src/ that
// are not TypeScript (e.g. text's nmt_nfkc.charsmap) are copied beside the code that reads them. Last, every
// bare import in dist/ must be a Node builtin or a declared dependency of its package, so a tarball never
// ships a missing dependency. Plain Node (no tsx), so it runs before anything is built.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Every workspace, each after the workspaces it depends on. */
export const WORKSPACES = [
  'packages/engine',
  'packages/metrics',
  'packages/text',
  'packages/decode',
  'packages/core',
  'apps/parley',
];
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** All files under dir, recursively. */
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** The emitted file a relative specifier names: `x.js` or `x/index.js` (checked against .d.ts for type files). */
function resolveSpecifier(fromFile, spec, ext) {
  if (/\.(m?js|json|node)$/.test(spec)) return spec;
  const base = join(dirname(fromFile), spec);
  if (existsSync(base + ext)) return `${spec}.js`;
  if (existsSync(join(base, `index${ext}`))) return `${spec}/index.js`;
  throw new Error(`${relative(ROOT, fromFile)}: cannot find the file that '${spec}' names`);
}

const SPECIFIER = /((?:\bfrom|\bimport)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\2/g;

/** Rewrites the relative specifiers of one emitted .js or .d.ts file in place. */
function fixSpecifiers(file) {
  const ext = file.endsWith('.d.ts') ? '.d.ts' : '.js';
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(SPECIFIER, (_, lead, q, spec) => `${lead}${q}${resolveSpecifier(file, spec, ext)}${q}`);
  if (fixed !== text) writeFileSync(file, fixed);
}

/** Fails when dist/ imports a package that package.json does not declare. */
function checkDependencies(ws) {
  const pkg = JSON.parse(readFileSync(join(ROOT, ws, 'package.json'), 'utf8'));
  const declared = new Set([
    pkg.name,
    ...Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies }),
  ]);
  const builtins = new Set(builtinModules);
  const missing = new Set();
  for (const file of walk(join(ROOT, ws, 'dist')).filter((f) => f.endsWith('.js'))) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(
      /(?:\bfrom\s*|^import\s*|\bimport\(\s*)['"]([^'".\s][^'"\s]*)['"]/gm,
    )) {
      if (spec.startsWith('node:') || builtins.has(spec)) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!declared.has(name)) missing.add(`${name} (${relative(ROOT, file)})`);
    }
  }
  if (missing.size)
    throw new Error(`${ws}/package.json does not declare what dist/ imports: ${[...missing].join(', ')}`);
}

export function build(ws) {
  const dir = join(ROOT, ws);
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.build.json')], { stdio: 'inherit' });
  for (const file of walk(join(dir, 'src'))) {
    if (/\.tsx?$/.test(file)) continue;
    const to = join(dir, 'dist', relative(join(dir, 'src'), file));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(file, to);
  }
  for (const file of walk(join(dir, 'dist'))) if (/\.(js|d\.ts)$/.test(file)) fixSpecifiers(file);
  checkDependencies(ws);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv.slice(2);
  for (const ws of WORKSPACES) {
    if (only.length && !only.some((o) => ws.endsWith(o))) continue;
    const started = Date.now();
    try {
      build(ws);
    } catch (err) {
      process.stderr.write(`build: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
    process.stdout.write(`built ${ws}/dist in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}
