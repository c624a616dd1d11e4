// The app's real services: the bundled models through @parley/core, metrics through @parley/metrics,
// training in a child process, and the backend line from @parley/engine.
import { describeBackend, initBackend, type BackendReport } from '@parley/engine';
import type { Loadable, Services } from '../services';
import { loadChatService } from './chat';
import { evalService } from './evaluate';
import { DEFAULT_CHARLM_MODEL, DEFAULT_SEQ2SEQ_MODEL } from '../../paths';
import { missingModel } from './models';
import { createTrainService } from './train';
import { loadTranslateService } from './translate';

export { stopAllRuns } from './train';

export interface ServiceOptions {
  /** The char-LM the Chat screen talks to. Default $PARLEY_CHAT_MODEL, else apps/parley/models/sheldon. */
  chatModel?: string;
  /** The seq2seq model the Translate screen uses. Default $PARLEY_TRANSLATE_MODEL, else apps/parley/models/pt-en. */
  translateModel?: string;
}

/** A one-line hint when a faster backend than the running one is not installed. */
export function backendHint(report: BackendReport): string | undefined {
  if (report.forced || report.name === 'node-gpu' || report.name === 'node') return undefined;
  const node = report.skipped.find((s) => s.name === 'node');
  if (node?.reason === 'not installed')
    return 'npm install @tensorflow/tfjs-node for the native TensorFlow backend (several times faster)';
  return undefined;
}

async function load<T>(dir: string, how: string, open: (dir: string) => T | Promise<T>): Promise<Loadable<T>> {
  const missing = missingModel(dir, how);
  if (missing) return { state: 'missing', error: missing };
  try {
    return { state: 'ready', service: await open(dir) };
  } catch (err) {
    return { state: 'missing', error: `cannot load ${dir}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Starts the backend and loads the models, calling `update` as each part becomes ready (the Home
 * screen shows them loading). Resolves with the final services.
 */
export async function loadServices(options: ServiceOptions, update: (s: Services) => void): Promise<Services> {
  let services: Services = {
    backend: 'backend: starting…',
    chat: { state: 'loading' },
    translate: { state: 'loading' },
    train: createTrainService(),
    evaluate: evalService,
  };
  update(services);
  const report = await initBackend();
  services = { ...services, backend: describeBackend(report), backendHint: backendHint(report) };
  update(services);
  const env = process.env;
  const chat = await load(
    options.chatModel ?? env.PARLEY_CHAT_MODEL ?? DEFAULT_CHARLM_MODEL,
    'train it: npm run -s parley -- train apps/parley/configs/sheldon.yaml',
    loadChatService,
  );
  services = { ...services, chat };
  update(services);
  const translate = await load(
    options.translateModel ?? env.PARLEY_TRANSLATE_MODEL ?? DEFAULT_SEQ2SEQ_MODEL,
    'train it: npm run train:defaults -- --only pt-en',
    loadTranslateService,
  );
  services = { ...services, translate };
  update(services);
  return services;
}
