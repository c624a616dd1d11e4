// `parley backend`: which TensorFlow.js backend runs here, and why faster ones were skipped.
import { describeBackend, initBackend } from '@parley/engine';
import { defineCommand } from '../command';

export const command = defineCommand(
  { name: 'backend', summary: 'show which TensorFlow.js backend runs and why faster ones were skipped', options: {} },
  async () => {
    process.stdout.write(describeBackend(await initBackend()) + '\n');
    return 0;
  },
);
