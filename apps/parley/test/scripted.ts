// Scripted services for UI tests: they answer instantly (or with a small delay) from fixed data, so a test
// checks what the screens draw, not what a model says. The app itself runs on real-services.ts.
import type {
  ChatService,
  EvalService,
  Services,
  TrainEvent,
  TrainService,
  TranslateService,
} from '../src/app/services';

export const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

export const TAB = '\t';
export const ESC = '\u001b';
export const UP = '\u001b[A';
export const DOWN = '\u001b[B';
export const RIGHT = '\u001b[C';
export const LEFT = '\u001b[D';

/** Writes keys, then waits: a newly shown screen subscribes to keys in an effect, as a person would. */
export async function type(stdin: { write(s: string): void }, text: string): Promise<void> {
  stdin.write(text);
  await tick(50);
}

/** Waits until `check()` is true (polling), failing after `timeout` ms with the last frame (generous: CI machines are busy). */
export async function until(check: () => boolean, frame: () => string | undefined, timeout = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeout) throw new Error(`timed out; last frame:\n${frame()}`);
    await tick(10);
  }
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

export function scriptedTranslate(): TranslateService & { beams: number[] } {
  const beams: number[] = [];
  return {
    model: { name: 'pt-en', dir: 'models/pt-en', summary: 'bi-LSTM + Luong' },
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
export function scriptedTrain(events: TrainEvent[], delayMs = 1): TrainService & { stopped: boolean } {
  const service = {
    configs: ['configs/tiny.yaml'],
    stopped: false,
    async start() {
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

export function scriptedServices(overrides: Partial<Services> = {}): Services {
  return {
    backend: 'backend: wasm; skipped node-gpu (not installed), node (not installed)',
    backendHint: 'npm install @tensorflow/tfjs-node for a faster backend',
    chat: { state: 'ready', service: scriptedChat() },
    translate: { state: 'ready', service: scriptedTranslate() },
    train: scriptedTrain([]),
    evaluate: scriptedEval,
    ...overrides,
  };
}
