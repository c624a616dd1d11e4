// The Embeddings screen: how the input line is read (a word, three words as an analogy, explicit signs),
// neighbours drawn as bars while typing, a word outside the vocabulary said plainly, the table loaded once
// when the screen first opens, Home's entry; and the real source on a word2vec file (a bad line named).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../src/app/App';
import { embeddingsSource } from '../src/app/real/embeddings';
import { Embeddings } from '../src/app/screens/Embeddings';
import { parseWordQuery } from '../src/app/screens/word-query';
import { ESC, scriptedEmbeddings, scriptedServices, settled, type, until } from './scripted';

const CLEAR = '\u0015'; // Ctrl-U

/** The words of the neighbour bars, in order. */
function neighbours(frame: string): string[] {
  return [...frame.matchAll(/^(\S+)\s+[█▉▊▋▌▍▎▏░]+\s+(-?\d\.\d{4})$/gm)].map((m) => m[1]!);
}

describe('parseWordQuery', () => {
  it('reads one word, three bare words as A − B + C, and explicit signs', () => {
    expect(parseWordQuery('  cat ')).toEqual({ positive: ['cat'], negative: [], shown: 'cat' });
    expect(parseWordQuery('king man woman')).toEqual({
      positive: ['king', 'woman'],
      negative: ['man'],
      shown: 'king − man + woman',
    });
    expect(parseWordQuery('king - man + woman')).toEqual(parseWordQuery('king man woman'));
    expect(parseWordQuery('king −man +woman')).toEqual(parseWordQuery('king man woman'));
    expect(parseWordQuery('paris - france + italy + rome')).toEqual({
      positive: ['paris', 'italy', 'rome'],
      negative: ['france'],
      shown: 'paris − france + italy + rome',
    });
    // other bare words are summed; words with a hyphen inside stay whole
    expect(parseWordQuery('well-known author')?.positive).toEqual(['well-known', 'author']);
  });

  it('leaves out a sign still waiting for its word, and reads an empty line as no query', () => {
    expect(parseWordQuery('king -')).toEqual({ positive: ['king'], negative: [], shown: 'king' });
    expect(parseWordQuery('   ')).toBeUndefined();
    expect(parseWordQuery('+')).toBeUndefined();
  });
});

describe('Embeddings screen (toy vectors, real search)', () => {
  it('says it is loading, then draws neighbours as you type and the analogy for three words', async () => {
    let release!: () => void;
    const source = scriptedEmbeddings(new Promise<void>((r) => (release = r)));
    const { stdin, lastFrame, unmount } = render(<Embeddings source={source} onBack={() => {}} debounceMs={1} />);
    await settled();
    expect(lastFrame()).toContain('Parley › Embeddings');
    expect(lastFrame()).toContain('loading toy vectors…');
    await type(stdin, 'king');
    release();
    await until(() => neighbours(lastFrame()!).length > 0, lastFrame);
    expect(lastFrame()).not.toContain('loading');
    expect(lastFrame()).toContain('toy vectors · 6 words × 3, lowercased');
    expect(neighbours(lastFrame()!)[0]).toBe('prince');
    expect(neighbours(lastFrame()!)).not.toContain('king'); // the query word itself is never an answer
    await type(stdin, ' man woman');
    await until(() => lastFrame()!.includes('king − man + woman ≈') && !lastFrame()!.includes('updating'), lastFrame);
    expect(neighbours(lastFrame()!)[0]).toBe('queen');
    expect(source.opens).toBe(1);
    unmount();
  });

  it('says which word is not in the vocabulary, and clears with Ctrl-U', async () => {
    const { stdin, lastFrame, unmount } = render(
      <Embeddings source={scriptedEmbeddings()} onBack={() => {}} debounceMs={1} />,
    );
    await type(stdin, 'king xyzzy');
    await until(() => lastFrame()!.includes('"xyzzy" is not in the vocabulary (6 words)'), lastFrame);
    expect(neighbours(lastFrame()!)).toEqual([]);
    await type(stdin, CLEAR);
    expect(lastFrame()).not.toContain('xyzzy');
    unmount();
  });

  it('is the last entry on Home, opens with w and goes back with Esc', async () => {
    const services = scriptedServices();
    const { stdin, lastFrame, unmount } = render(<App services={services} />);
    await settled();
    expect(lastFrame()).toMatch(/6\. Embeddings\s+nearest words and analogies \(king − man \+ woman\) on toy vectors/);
    expect(lastFrame()).toContain('1-6 / c t r e w');
    await type(stdin, 'w');
    await until(() => lastFrame()!.includes('Parley › Embeddings'), lastFrame);
    await type(stdin, 'queen');
    await until(() => neighbours(lastFrame()!).length > 0, lastFrame);
    await type(stdin, ESC);
    await until(() => lastFrame()!.includes('1. Chat'), lastFrame);
    unmount();
  });
});

describe('the real source', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-emb-screen-'));

  it('reads a word2vec file once, however often the screen opens, and searches it', async () => {
    const file = join(dir, 'vectors.txt');
    writeFileSync(file, '3 2\ncat 1 0.1\ndog 0.9 0.2\ncar 0 1\n');
    const source = embeddingsSource(file);
    const first = source.open();
    expect(source.open()).toBe(first);
    const service = await first;
    expect(service.model.summary).toBe('3 words × 2');
    expect((await service.query(['cat'], [], 5)).map((n) => n.word)).toEqual(['dog', 'car']);
    await expect(service.query(['Cat'], [], 5)).rejects.toThrow('"Cat" is not in the vocabulary (3 words)');
  });

  it('a bad vector file fails to open with its file and line, shown on the screen', async () => {
    const file = join(dir, 'bad.txt');
    writeFileSync(file, 'cat 1 0.1\ndog 0.9\n');
    const source = embeddingsSource(file);
    await expect(source.open()).rejects.toThrow(`${file}:2`);
    await expect(embeddingsSource(join(dir, 'none.txt')).open()).rejects.toThrow(
      `${join(dir, 'none.txt')}: no such file or directory`,
    );
    const { lastFrame, unmount } = render(<Embeddings source={source} onBack={() => {}} />);
    await until(() => lastFrame()!.includes('cannot load'), lastFrame);
    expect(lastFrame()).toMatch(/cannot load .*bad\.txt/);
    unmount();
  });
});
