import { describe, expect, it } from 'vitest';
import { tempPath } from '../test/tmp';
import { UNK_TEXT } from './tokenizer';
import { UNK_ID } from './vocab';
import { WordTokenizer, standardize } from './word';

describe('WordTokenizer', () => {
  it('standardizes like Keras TextVectorization (with Unicode lowercasing)', () => {
    const t = "It's O'Brien's AÇÃO: 3.14, (yes)!";
    expect(standardize(t, 'lower_and_strip_punctuation')).toBe('its obriens ação 314 yes');
    expect(standardize(t, 'lower')).toBe("it's o'brien's ação: 3.14, (yes)!");
    expect(standardize(t, 'strip_punctuation')).toBe('Its OBriens AÇÃO 314 yes');
    expect(standardize(t, 'none')).toBe(t);
  });

  it('lower_and_split_punctuation tokenizes as GloVe and word2vec were trained (clitics and punctuation apart)', () => {
    const t = "It's O'Brien's clichés: 3.14, (yes)! Doesn't, can't, won't -- co-writer/director; writers' 'lovely'";
    expect(standardize(t, 'lower_and_split_punctuation')).toBe(
      "it 's o ' brien 's cliches : 3.14 , ( yes ) ! does n't , ca n't , wo n't - - co - writer / director ; writers ' ' lovely '",
    );
    expect(standardize('Don\u2019t you\u2019ll', 'lower_and_split_punctuation')).toBe("do n't you 'll");
    const tok = WordTokenizer.train(["it doesn't work"], { standardize: 'lower_and_split_punctuation' });
    expect(tok.tokenize("Doesn't it?")).toEqual(['does', "n't", 'it', '?']);
    expect(tok.decode(tok.encode("It doesn't"))).toBe("it does n't");
  });

  it('splits on whitespace runs and round-trips standardized text', () => {
    const tok = WordTokenizer.train(['Hello,  world!\tHello again.', 'the world is big']);
    expect(tok.tokenize(' Hello,\n world! ')).toEqual(['hello', 'world']);
    const x = 'hello again the world is big';
    expect(tok.decode(tok.encode(x))).toBe(x);
    expect(tok.encode('hello martian')).toEqual([tok.vocab.id('hello'), UNK_ID]);
    expect(tok.decode(tok.encode('hello martian'))).toBe(`hello ${UNK_TEXT}`);
  });

  it('keeps the most frequent words under maxTokens and drops words below minFrequency', () => {
    const texts = ['a a a b b c', 'a b d'];
    expect(WordTokenizer.train(texts, { maxTokens: 6 }).vocab.list().slice(4)).toEqual(['a', 'b']);
    expect(WordTokenizer.train(texts, { minFrequency: 2 }).vocab.list().slice(4)).toEqual(['a', 'b']);
    expect(WordTokenizer.train(texts).vocabSize).toBe(8);
  });

  it('saves and loads back with its standardize mode', () => {
    const tok = WordTokenizer.train(['Keep Case Here'], { standardize: 'strip_punctuation' });
    const path = tempPath('word.json');
    tok.save(path);
    const back = WordTokenizer.load(path);
    expect(back.mode).toBe('strip_punctuation');
    expect(back.encode('Keep Case!')).toEqual(tok.encode('Keep Case!'));
    expect(back.encode('keep')).toEqual([UNK_ID]);
  });

  it('as a seq2seq word tokenizer: no standardization, NFC first, and the saved form says so', () => {
    const tok = WordTokenizer.train(['Café, com leite.'], { standardize: 'none', normalization: 'NFC' });
    expect(tok.tokenize('Cafe\u0301, com')).toEqual(['Café,', 'com']); // decomposed é composed; case and commas kept
    expect(tok.encode('Cafe\u0301,')).toEqual(tok.encode('Café,'));
    expect(tok.decode(tok.encode('Café, com leite.'))).toBe('Café, com leite.');
    const json = tok.toJSON();
    expect(json.normalization).toBe('NFC');
    expect(WordTokenizer.fromJSON(json).encode('Cafe\u0301,')).toEqual(tok.encode('Café,'));
    // Files written before normalization existed have no such field: they load as 'none'.
    const { normalization: _, ...old } = json;
    expect(WordTokenizer.fromJSON(old).normalization).toBe('none');
    expect(JSON.stringify(WordTokenizer.train(['a b']).toJSON())).not.toContain('normalization');
  });
});
