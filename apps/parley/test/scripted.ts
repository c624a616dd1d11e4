// Scripted services for UI tests: they answer instantly (or with a small delay) from fixed data, so a test
// checks what the screens draw, not what a model says. The app itself runs on real-services.ts. Also the
// helpers that drive a screen: type() and settled() wait on events, never on a clock; renderIn() draws in a
// terminal of a given size.
import { EventEmitter } from 'node:events';
import type { ReactElement } from 'react';
import { render } from 'ink';
import { unstable_IdlePriority, unstable_scheduleCallback } from 'scheduler';
import type {
  ChatService,
  ClassifyService,
  EmbeddingsService,
  EmbeddingsSource,
  EvalService,
  Services,
  TrainEvent,
  TrainService,
  TranslateService,
} from '../src/app/services';
import { DEFAULT_SAMPLING } from '../src/app/services';
import { mostSimilar, WordVectors } from '@parley/text';

/** A scripted service's pause (it stands for a model thinking); tests never wait on it, they wait on events. */
export const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

export const TAB = '\t';
export const ESC = '\u001b';
export const UP = '\u001b[A';
export const DOWN = '\u001b[B';
export const RIGHT = '\u001b[C';
export const LEFT = '\u001b[D';

/**
 * Resolves once the app has handled everything it was given: Ink has passed on a pending Esc (it does so in a
 * setImmediate), React has rendered, drawn the frame and run the effects that follow it — a screen just
 * shown subscribes to keys in one. It waits on React's scheduler going idle (an Idle-priority task runs only
 * when no other work is queued), not on a clock, so a busy machine makes it slower, never wrong.
 */
export async function settled(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => unstable_scheduleCallback(unstable_IdlePriority, () => void r(undefined)));
}

/** Writes keys, then waits until the app has handled them (see settled()). */
export async function type(stdin: { write(s: string): void }, text: string): Promise<void> {
  stdin.write(text);
  await settled();
}

/**
 * Waits until `check()` is true (polling), then until the app is settled; fails after `timeout` ms with the last
 * frame (generous: CI machines are busy).
 */
export async function until(check: () => boolean, frame: () => string | undefined, timeout = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeout) throw new Error(`timed out; last frame:\n${frame()}`);
    await tick(10);
  }
  await settled(); // what the frame that passed sets off (a screen re-measuring itself) is drawn too
}

/** A terminal of a given size for ink-testing-library-style tests (that library's is always 100 wide, height unknown). */
class Terminal extends EventEmitter {
  frames: string[] = [];
  isTTY = false;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
}
class Keyboard extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const data = this.data;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/** Renders `tree` in a `columns`×`rows` terminal; the same handles as ink-testing-library's render. */
export function renderIn(tree: ReactElement, columns: number, rows: number) {
  const stdout = new Terminal(columns, rows);
  const stdin = new Keyboard();
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new Terminal(columns, rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    stdin,
    frames: stdout.frames,
    lastFrame: () => stdout.frames.at(-1),
    rerender: instance.rerender,
    unmount: instance.unmount,
  };
}

/** Replies with `reply`, one character every `delayMs`; records what it was asked. */
export function scriptedChat(
  reply = 'Bazinga! I am not crazy, my mother had me tested.',
  delayMs = 2,
): ChatService & { calls: { speaker: string; seed: number; lastLine: string }[] } {
  const calls: { speaker: string; seed: number; lastLine: string }[] = [];
  return {
    model: { name: 'sheldon', dir: 'models/sheldon', summary: '2×64 LSTM' },
    speakers: ['Leonard', 'Penny', 'Howard'],
    botSpeaker: 'Sheldon',
    defaults: DEFAULT_SAMPLING,
    calls,
    async *reply(history, settings, signal) {
      const last = history.at(-1)!;
      calls.push({ speaker: last.speaker, seed: settings.seed, lastLine: last.text });
      for (const ch of reply.slice(0, settings.maxLength)) {
        if (signal?.aborted) return;
        await tick(delayMs);
        yield ch;
      }
    },
  };
}

export function scriptedTranslate(defaultBeam = 5): TranslateService & { beams: number[] } {
  const beams: number[] = [];
  return {
    model: { name: 'pt-en', dir: 'models/pt-en', summary: 'bi-LSTM + Luong' },
    defaultBeam,
    beams,
    async translate(source, { beam, nBest }) {
      beams.push(beam);
      const sourceTokens = source.split(' ');
      const tokens = ['i', 'like', 'cats', '</s>'];
      // A diagonal-ish attention: target t looks mostly at source t.
      const attention = tokens.map((_, t) =>
        sourceTokens.map((__, s) =>
          s === Math.min(t, sourceTokens.length - 1) ? 0.85 : 0.15 / (sourceTokens.length - 1),
        ),
      );
      const texts = ['i like cats', 'i love cats', 'me like cats', 'i like the cats', 'i enjoy cats'];
      return {
        sourceTokens,
        hypotheses: texts.slice(0, nBest).map((text, i) => ({ text, tokens, score: -0.5 - i * 0.25, attention })),
        millis: 12,
      };
    },
  };
}

/** A trainer that plays `events` back; `stop()` ends it with a checkpoint and `done: stopped`. */
export function scriptedTrain(
  events: TrainEvent[],
  delayMs = 1,
): TrainService & { stopped: boolean; starts: { config: string; options: Parameters<TrainService['start']>[1] }[] } {
  const service = {
    configs: ['configs/tiny.yaml'],
    stopped: false,
    starts: [] as { config: string; options: Parameters<TrainService['start']>[1] }[],
    async start(config: string, options: Parameters<TrainService['start']>[1]) {
      service.starts.push({ config, options });
      let stop = false;
      async function* play(): AsyncGenerator<TrainEvent> {
        for (const e of events) {
          if (stop) {
            yield { type: 'checkpoint', step: 7, path: 'runs/tiny/last', best: false };
            yield { type: 'done', reason: 'stopped', step: 7 };
            return;
          }
          await new Promise((r) => setTimeout(r, delayMs));
          yield e;
        }
        // Keep running until stopped, like a long run.
        while (!stop) await new Promise((r) => setTimeout(r, 5));
        yield { type: 'checkpoint', step: 7, path: 'runs/tiny/last', best: false };
        yield { type: 'done', reason: 'stopped', step: 7 };
      }
      return {
        events: play(),
        stop() {
          stop = true;
          service.stopped = true;
        },
      };
    },
  };
  return service;
}

export const scriptedEval: EvalService = {
  async evaluateLabels(preds, gold) {
    return {
      gold,
      labels: ['neg', 'pos'],
      texts: 10,
      millis: 1,
      systems: preds.map((file) => ({
        file,
        accuracy: 0.8,
        macroF1: 0.8,
        weightedF1: 0.8,
        confusion: [
          [4, 1],
          [1, 4],
        ],
      })),
    };
  },
  async evaluate(hyps, refs) {
    return {
      refs: [...refs],
      pairedTest: hyps.length > 1 ? 'paired bootstrap resampling (n=1000)' : undefined,
      millis: 5,
      systems: hyps.map((file, i) => ({
        file,
        scores: [
          {
            name: 'BLEU',
            score: 30 + i,
            formatted: '',
            signature: 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0',
            ci: { mean: 30 + i, halfWidth: 1.2 },
            pValue: i ? 0.0123 : undefined,
          },
          {
            name: 'chrF2',
            score: 55 + i,
            formatted: '',
            signature: 'nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0',
            ci: { mean: 55, halfWidth: 0.9 },
            pValue: i ? 0.2 : undefined,
          },
          {
            name: 'TER',
            score: 50 - i,
            formatted: '',
            signature: 'nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0',
            ci: { mean: 50, halfWidth: 1.5 },
            pValue: i ? 0.04 : undefined,
          },
        ],
      })),
    };
  },
};

/**
 * A two-label sentiment classifier: P(pos) grows with the `good` words and falls with the `bad` ones; each word
 * weighs +1 (good), −1 (bad) or 0. `hold(text)` may delay an answer (tests of stale results); `calls`, `answered`
 * and `explained` record the texts asked, answered and explained.
 */
export function scriptedClassify(
  hold: (text: string) => Promise<void> = async () => {},
): ClassifyService & { calls: string[]; answered: string[]; explained: string[] } {
  const good = new Set(['good', 'great', 'fun']);
  const bad = new Set(['bad', 'dull', 'boring']);
  const weight = (w: string) => (good.has(w) ? 1 : bad.has(w) ? -1 : 0);
  const calls: string[] = [];
  const answered: string[] = [];
  const explained: string[] = [];
  const pos = (text: string) => 1 / (1 + Math.exp(-text.split(/\s+/).reduce((s, w) => s + weight(w), 0)));
  return {
    model: { name: 'sentiment', dir: 'models/sentiment', summary: 'naive Bayes' },
    labels: ['neg', 'pos'],
    calls,
    answered,
    explained,
    async classify(text) {
      calls.push(text);
      await hold(text);
      answered.push(text);
      const p = pos(text);
      return { probabilities: [1 - p, p], predicted: [p >= 0.5 ? 1 : 0], millis: 1 };
    },
    async explain(text) {
      explained.push(text);
      const label = pos(text) >= 0.5 ? 1 : 0;
      const words = text.split(/\s+/).filter(Boolean);
      const sign = label === 1 ? 1 : -1;
      return {
        label,
        method: 'log-likelihood ratio',
        words: words.map((word) => ({ word, weight: sign * weight(word) })),
      };
    },
  };
}

export function scriptedServices(overrides: Partial<Services> = {}): Services {
  return {
    backend: 'backend: wasm; skipped node-gpu (not installed), node (not installed)',
    backendHint: 'npm install @tensorflow/tfjs-node for a faster backend',
    chat: { state: 'ready', service: scriptedChat() },
    translate: { state: 'ready', service: scriptedTranslate() },
    train: scriptedTrain([]),
    evaluate: scriptedEval,
    classifiers: [{ name: 'sentiment', service: { state: 'ready', service: scriptedClassify() } }],
    embeddings: scriptedEmbeddings(),
    ...overrides,
  };
}

/**
 * Six 3-d word vectors where king − man + woman is queen (royal, male and female axes), searched with the
 * real mostSimilar. `opens` counts the screen's requests for the table; `ready` (when given) holds the table
 * back, so a test can see the screen while it loads.
 */
export function scriptedEmbeddings(ready?: Promise<void>): EmbeddingsSource & { opens: number } {
  const words = ['king', 'queen', 'man', 'woman', 'prince', 'apple'];
  const vectors = new WordVectors(
    words,
    3,
    Float32Array.from([1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0.9, 0.8, 0.1, 0, -0.2, -0.1]),
    true,
  );
  const service: EmbeddingsService = {
    model: { name: 'toy vectors', dir: 'toy', summary: '6 words × 3, lowercased' },
    async query(positive, negative, top) {
      await tick(1);
      return mostSimilar(vectors, positive, negative, top);
    },
  };
  const source = {
    name: 'toy vectors',
    opens: 0,
    async open() {
      source.opens++;
      await ready;
      return service;
    },
  };
  return source;
}
