import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** The export condition that maps each workspace to its src/ (package.json `exports`); dist/ otherwise. */
const SOURCE_CONDITION = 'parley-source';
const nodeOptions = process.env.NODE_OPTIONS ?? '';

// One vitest run covers every workspace: unit tests beside each package (packages/*/src/**/*.test.ts,
// packages/*/test/**), app tests, and cross-package tests in test/. Tests import the workspaces' sources (no
// build needed), and so do the Node processes they start (NODE_OPTIONS carries the condition; .npmrc sets it
// for npm scripts and npx too).
export default defineConfig({
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  test: {
    include: [
      'packages/*/src/**/*.test.{ts,tsx}',
      'packages/*/test/**/*.test.{ts,tsx}',
      'apps/*/src/**/*.test.{ts,tsx}',
      'apps/*/test/**/*.test.{ts,tsx}',
      'test/**/*.test.{ts,tsx}',
    ],
    env: {
      NODE_OPTIONS: nodeOptions.includes(`--conditions=${SOURCE_CONDITION}`)
        ? nodeOptions
        : `${nodeOptions} --conditions=${SOURCE_CONDITION}`.trim(),
    },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
