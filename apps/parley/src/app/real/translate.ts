// The Translate screen's service: a seq2seq model directory from @parley/core, searched with the
// screen's beam size (starting from the one `parley translate` resolves for the model); every hypothesis carries
// its score and attention matrix.
import { Translator } from '@parley/core';
import type { TranslateService } from '../services';
import { describeModel, shortPath } from './models';

/** Loads a seq2seq model directory (the backend must be initialised). */
export async function loadTranslateService(dir: string): Promise<TranslateService> {
  const translator = await Translator.load(dir);
  const m = translator.manifest;
  return {
    model: { name: m.name ?? 'seq2seq', dir: shortPath(dir), summary: describeModel(m.architecture, m.metrics) },
    defaultBeam: translator.options().beamSize,
    async translate(source, { beam, nBest }) {
      const start = performance.now();
      const r = await translator.translate(source, { beamSize: beam, nBest: Math.min(nBest, beam) });
      return {
        sourceTokens: r.sourceTokens,
        hypotheses: r.hypotheses.map((h) => ({
          text: h.text,
          // The attention has a row for the end-of-sentence step too; label it.
          tokens: h.attention.length > h.tokens.length ? [...h.tokens, '</s>'] : h.tokens,
          score: h.score,
          attention: h.attention,
        })),
        millis: performance.now() - start,
      };
    },
  };
}
