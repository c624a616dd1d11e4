// `parley translate`, the app's Translate screen and the library resolve search settings in one place
// (resolveTranslateOptions: library defaults → the model's testing section → the caller), so the same model
// and beam give the same translations everywhere. Runs the real CLI and the real app service.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { manifestTesting, resolveTranslateOptions, Translator, TRANSLATE_DEFAULTS } from '@parley/core';
import { loadTranslateService } from '../apps/parley/src/app/real/translate';
import { DEFAULT_SEQ2SEQ_MODEL } from '../apps/parley/src/paths';
import { REPO_ROOT } from './support/shared';

const SENTENCES = [
  'Eu gosto de gatos.',
  'Onde fica a estação?',
  'Ele não quer ir à escola amanhã.',
  'Nós vamos comer peixe esta noite.',
  'Você pode me ajudar com isso?',
  'O livro está em cima da mesa.',
  'Tom disse que estava cansado.',
  'Ela comprou um carro novo ontem.',
  'Eu não sei o que fazer.',
  'Quanto custa esta camisa?',
  'Eles moram perto do rio.',
  'A porta estava aberta quando cheguei.',
];

const bundled = existsSync(join(DEFAULT_SEQ2SEQ_MODEL, 'manifest.json'));

describe('search settings', () => {
  it('resolve as library defaults, then the model, then the caller', () => {
    expect(resolveTranslateOptions(undefined)).toEqual(TRANSLATE_DEFAULTS);
    const r = resolveTranslateOptions({ beamSize: 8, alpha: 0.6 }, { beamSize: 2, alpha: undefined });
    expect(r.beamSize).toBe(2); // the caller wins
    expect(r.alpha).toBe(0.6); // an unset caller option falls back to the model's
    expect(r.maxLengthRatio).toBe(TRANSLATE_DEFAULTS.maxLengthRatio); // and then to the library's
  });
});

describe.skipIf(!bundled)('parley translate and the app agree', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('the Translate screen starts from the beam parley translate uses without --beam', async () => {
    const service = await loadTranslateService(DEFAULT_SEQ2SEQ_MODEL);
    const translator = await Translator.load(DEFAULT_SEQ2SEQ_MODEL);
    expect(service.defaultBeam).toBe(resolveTranslateOptions(manifestTesting(translator.manifest)).beamSize);
    translator.dispose();
  });

  for (const beam of [1, 5]) {
    it(`gives identical translations with beam ${beam}`, async () => {
      const cli = spawnSync(
        process.execPath,
        [join(REPO_ROOT, 'apps/parley/bin/parley.js'), 'translate', '--beam', String(beam)],
        {
          input: SENTENCES.join('\n') + '\n',
          encoding: 'utf8',
          timeout: 300_000,
        },
      );
      expect(cli.status, cli.stderr).toBe(0);
      const service = await loadTranslateService(DEFAULT_SEQ2SEQ_MODEL);
      const app: string[] = [];
      for (const s of SENTENCES) app.push((await service.translate(s, { beam, nBest: 1 })).hypotheses[0]?.text ?? '');
      const translator = await Translator.load(DEFAULT_SEQ2SEQ_MODEL);
      const api = (await translator.translateBatch(SENTENCES, { beamSize: beam })).map(
        (r) => r.hypotheses[0]?.text ?? '',
      );
      translator.dispose();
      expect(cli.stdout.split('\n').slice(0, -1)).toEqual(app);
      expect(api).toEqual(app);
    }, 600_000);
  }
});
