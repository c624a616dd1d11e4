import { defineConfig } from 'vitest/config';

// One vitest run covers every workspace: unit tests beside each package (packages/*/src/**/*.test.ts,
// packages/*/test/**), app tests, and cross-package tests in test/.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.{ts,tsx}',
      'packages/*/test/**/*.test.{ts,tsx}',
      'apps/*/src/**/*.test.{ts,tsx}',
      'apps/*/test/**/*.test.{ts,tsx}',
      'test/**/*.test.{ts,tsx}',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
