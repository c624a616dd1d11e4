import { describe, expect, it } from 'vitest';
import { tempPath } from '../test/tmp';
import { CharTokenizer } from './char';
import { UNK_TEXT } from './tokenizer';
import { BOS_ID, EOS_ID, UNK_ID } from './vocab';

describe('CharTokenizer', () => {
  const texts = ['Bazinga! 😀 café', 'Penny, Penny, Penny.'];

  it('round-trips text whose characters are in the vocabulary, including astral code points', () => {
    const tok = CharTokenizer.train(texts);
    for (const t of texts) expect(tok.decode(tok.encode(t))).toBe(t);
    expect(tok.encode('😀')).toHaveLength(1);
  });

  it('maps rare characters to unk and drops bos/eos/pad when decoding', () => {
    const tok = CharTokenizer.train(texts, { minCount: 2 });
    const ids = tok.encode('Bz');
    expect(ids[1]).toBe(UNK_ID);
    expect(tok.decode([BOS_ID, ...tok.encode('Pen'), EOS_ID, 0, 0])).toBe('Pen');
    expect(tok.decode([UNK_ID])).toBe(UNK_TEXT);
  });

  it('applies Unicode normalization: a decomposed é encodes like the composed one under NFC', () => {
    const tok = CharTokenizer.train(['caf\u00e9'], { normalize: 'NFC' });
    expect(tok.encode('cafe\u0301')).toEqual(tok.encode('caf\u00e9'));
    expect(tok.encode('cafe\u0301')).not.toContain(UNK_ID);
  });

  it('saves and loads back, same ids', () => {
    const tok = CharTokenizer.train(texts, { normalize: 'NFKC' });
    const path = tempPath('char.json');
    tok.save(path);
    const back = CharTokenizer.load(path);
    expect(back.normalize).toBe('NFKC');
    expect(back.encode(texts[0]!)).toEqual(tok.encode(texts[0]!));
  });
});
