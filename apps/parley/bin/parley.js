#!/usr/bin/env node
// The `parley` command, run in this process: no second Node process, so signals (Ctrl-C, SIGTERM) and the
// exit code are the command's own. Installed from the package, it runs the compiled dist/cli.js with plain
// node. In a checkout (src/ beside bin/) it registers tsx in-process, resolves the workspaces through their
// `parley-source` export condition (their src/), and runs src/cli.tsx, so no build is needed.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.tsx', import.meta.url);
let entry = new URL('../dist/cli.js', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  const { register: registerHooks } = await import('node:module');
  const addSourceCondition =
    'export const resolve = (specifier, context, next) => next(specifier, { ...context, conditions: [...context.conditions, "parley-source"] });';
  registerHooks(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);
  entry = source;
}
const { main, installProcessGuards } = await import(entry.href);
installProcessGuards(); // EPIPE, write errors, signals, uncaught errors: see src/process-guard.ts
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (process.env.PARLEY_DEBUG === '1') console.error(err);
  process.stderr.write(`parley: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
