// `parley app` (and `npm start` / bare `parley` on a terminal): the Ink terminal app.
// The app's modules (Ink, React, TensorFlow.js, the models) load only when it opens, so `parley help`
// and the off-terminal path stay quick.
import type { Command } from '../cli';
import type { ServiceOptions } from '../app/real/index';
import type { ScreenName } from '../app/screens/Home';

const USAGE = `usage: parley app [--chat-model DIR] [--translate-model DIR] [--screen chat|translate|train|evaluate]
  --chat-model DIR       char-LM for Chat (default $PARLEY_CHAT_MODEL or apps/parley/models/sheldon)
  --translate-model DIR  seq2seq model for Translate (default $PARLEY_TRANSLATE_MODEL or apps/parley/models/pt-en)
  --screen NAME          open this screen instead of Home
`;

const SCREENS: readonly ScreenName[] = ['chat', 'translate', 'train', 'evaluate'];

export const command: Command = {
  summary: 'open the terminal app: chat, translate, train, evaluate (what `npm start` runs)',
  async run(argv) {
    const options: ServiceOptions = {};
    let screen: ScreenName | undefined;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      const value = () => {
        const v = argv[++i];
        if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
        return v;
      };
      if (a === '--help' || a === '-h') return process.stdout.write(USAGE), 0;
      else if (a === '--chat-model') options.chatModel = value();
      else if (a === '--translate-model') options.translateModel = value();
      else if (a === '--screen') {
        const s = value();
        if (!(SCREENS as readonly string[]).includes(s)) throw new Error(`--screen must be one of ${SCREENS.join(', ')}, not '${s}'`);
        screen = s as ScreenName;
      } else {
        process.stderr.write(`parley app: unknown option ${a}\n${USAGE}`);
        return 2;
      }
    }
    if (!process.stdout.isTTY || !process.stdin.isTTY || process.env.CI === 'true') {
      process.stderr.write(
        'parley app: needs an interactive terminal (stdin and stdout a TTY, CI not true).\n' +
          "Off a terminal use the plain commands: parley chat, parley translate, parley train, parley eval ('parley help' lists them).\n",
      );
      return 2;
    }
    const [{ render }, { Root }, { stopAllRuns, liveRuns }] = await Promise.all([import('ink'), import('../app/Root'), import('../app/real/train')]);
    const app = render(<Root options={options} screen={screen} />, { exitOnCtrlC: true });
    await app.waitUntilExit();
    // A training run still going is stopped (it saves a checkpoint) before the app returns.
    if (liveRuns() > 0) process.stderr.write('parley: stopping the training run (saving a checkpoint; up to 30 s)…\n');
    await stopAllRuns();
    // Model loading may leave timers or worker handles behind; do not let them keep a closed app alive.
    setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
    return 0;
  },
};
