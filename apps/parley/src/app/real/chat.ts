// The Chat screen's service: the Sheldon char-LM from @parley/core, replying as Sheldon to a
// conversation laid out as it was trained (`Speaker: text` lines). Its starting settings and its replies go
// through the library's resolveCharSampling and chatReply, as `parley chat` does, so the same settings and seed
// give the same reply in both (test/generate-agreement.test.ts).
import { chatReply, loadCharLm, resolveCharSampling } from '@parley/core';
import { DEFAULT_SAMPLING, type ChatService } from '../services';
import { describeModel, shortPath } from './models';

/** Who the user can speak as: the main characters of the TBBT dialogue. */
export const SPEAKERS = ['Leonard', 'Penny', 'Howard', 'Raj', 'Amy', 'Bernadette', 'Stuart'];

/** Loads a char-LM model directory (the backend must be initialised). */
export function loadChatService(dir: string, botSpeaker = 'Sheldon'): ChatService {
  const lm = loadCharLm(dir);
  const resolved = resolveCharSampling(lm);
  return {
    model: {
      name: lm.manifest.name ?? 'char-lm',
      dir: shortPath(dir),
      summary: describeModel(lm.manifest.architecture, lm.manifest.metrics),
    },
    speakers: SPEAKERS,
    botSpeaker,
    defaults: {
      temperature: resolved.temperature,
      topP: resolved.topP,
      topK: resolved.topK,
      repetitionPenalty: resolved.repetitionPenalty,
      maxLength: resolved.maxNewTokens,
      seed: DEFAULT_SAMPLING.seed,
    },
    async *reply(history, s, signal) {
      const stream = chatReply(lm, history, {
        as: botSpeaker,
        temperature: s.temperature,
        topP: s.topP,
        topK: s.topK,
        repetitionPenalty: s.repetitionPenalty,
        maxNewTokens: s.maxLength,
        seed: s.seed,
      });
      for await (const ch of stream) {
        if (signal?.aborted) return;
        yield ch;
      }
    },
  };
}
