import { describeBackend, initBackend } from '@parley/engine';
import type { Command } from '../cli';

export const command: Command = {
  summary: 'show which TensorFlow.js backend runs and why faster ones were skipped',
  async run() {
    process.stdout.write(describeBackend(await initBackend()) + '\n');
    return 0;
  },
};
