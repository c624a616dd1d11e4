import { describe, expect, it } from 'vitest';
import { sharedFile, skipReason } from '../../../test/support/shared';
import { tempFile } from '../test/tmp';
import { CorpusError, ReadReport, readLines, readTextLines, splitLines } from './lines';
import { collect, readDialogue, readPairs, readParallel, readText } from './readers';

describe('readPairs', () => {
  it('reads chosen columns and ignores extra ones (Tatoeba layout English<TAB>Portuguese<TAB>attribution)', async () => {
    const f = tempFile('Hi.\tOi.\tCC-BY 2.0 (France) Attribution: tatoeba.org #1\nRun!\tCorre!\tCC-BY x\n');
    const pairs = await collect(readPairs(f, { sourceColumn: 1, targetColumn: 0 }));
    expect(pairs).toEqual([
      { source: 'Oi.', target: 'Hi.', line: 1 },
      { source: 'Corre!', target: 'Run!', line: 2 },
    ]);
  });

  it('strips a leading BOM and CRLF line ends; a file without a final newline keeps its last line', async () => {
    const f = tempFile('\ufeffa\tb\r\nc\td');
    expect(await collect(readPairs(f))).toEqual([
      { source: 'a', target: 'b', line: 1 },
      { source: 'c', target: 'd', line: 2 },
    ]);
    await expect(collect(readPairs(f, { crlf: 'error' }))).rejects.toThrow(/:1: CRLF line end/);
  });

  it('names file and line of a wrong column count, an empty line, invalid UTF-8 and a stray BOM', async () => {
    const cases: [string | Uint8Array, RegExp][] = [
      ['a\tb\tc\nd\te\n', /:2: wrong column count \(expected 3 tab-separated columns, found 2\)/],
      ['a\tb\n\nc\td\n', /:2: empty line/],
      ['a\tb\nc\t\n', /:2: empty target/],
      [
        Buffer.concat([Buffer.from('a\tb\nc\td'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
        /:2: invalid UTF-8 \(byte offset 4/,
      ],
      ['a\tb\n\ufeffc\td\n', /:2: byte-order mark/],
    ];
    for (const [content, message] of cases) {
      const f = tempFile(content);
      const err = await collect(readPairs(f)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CorpusError);
      expect((err as CorpusError).message).toMatch(message);
      expect((err as CorpusError).message.startsWith(f)).toBe(true);
    }
  });

  it('with skipBadLines, skips bad lines and counts them by kind', async () => {
    const f = tempFile(
      Buffer.concat([Buffer.from('a\tb\n\nx\ty\tz\n'), Buffer.from([0xff]), Buffer.from('\tq\nc\td\n')]),
    );
    const report = new ReadReport(f);
    const pairs = await collect(readPairs(f, { skipBadLines: true, report }));
    expect(pairs.map((p) => p.source)).toEqual(['a', 'c']);
    expect(report.skipped).toBe(3);
    expect(Object.fromEntries(report.byProblem)).toEqual({
      'empty line': 1,
      'wrong column count': 1,
      'invalid UTF-8': 1,
    });
    expect(report.summary()).toMatch(/5 lines, 2 records, skipped 3/);
  });

  const pairsReason = skipReason('corpora/por-eng/pairs.tsv');
  it.skipIf(!!pairsReason)('reads the shared por-eng pairs.tsv and tatoeba-extra.tsv', async () => {
    const pairs = await collect(
      readPairs(sharedFile('corpora/por-eng/pairs.tsv')!, { sourceColumn: 1, targetColumn: 0 }),
    );
    expect(pairs).toHaveLength(7094);
    expect(pairs[0]!.target).toMatch(/^"We now have 4-month-old mice/);
    expect(pairs[0]!.source).toMatch(/^"Agora temos ratos/);
    const extra = sharedFile('corpora/por-eng/tatoeba-extra.tsv');
    if (extra) expect(await collect(readPairs(extra))).toHaveLength(3222);
  });
});

describe('readDialogue', () => {
  it('tracks episodes and reports malformed lines', async () => {
    const f = tempFile('#EPISODE\tS01E01 Pilot\nSheldon\tHi.\nLeonard\tHello.\n#EPISODE\tS01E02 Next\nPenny\tHey.\n');
    expect(await collect(readDialogue(f))).toEqual([
      { episode: 'S01E01 Pilot', speaker: 'Sheldon', text: 'Hi.', line: 2 },
      { episode: 'S01E01 Pilot', speaker: 'Leonard', text: 'Hello.', line: 3 },
      { episode: 'S01E02 Next', speaker: 'Penny', text: 'Hey.', line: 5 },
    ]);
    await expect(collect(readDialogue(tempFile('Sheldon\tHi.\nno tab here\n')))).rejects.toThrow(
      /:2: wrong column count/,
    );
  });

  const reason = skipReason('corpora/tbbt/dialogue.tsv');
  it.skipIf(!!reason)(
    'reads the shared TBBT dialogue.tsv: 192 episodes, 42,624 utterances, 9,878 by Sheldon',
    async () => {
      const utts = await collect(readDialogue(sharedFile('corpora/tbbt/dialogue.tsv')!));
      expect(utts).toHaveLength(42624);
      expect(new Set(utts.map((u) => u.episode)).size).toBe(192);
      expect(utts.filter((u) => u.speaker === 'Sheldon')).toHaveLength(9878);
      expect(utts[0]).toMatchObject({ episode: 'S01E01 Pilot Episode', speaker: 'Sheldon', line: 2 });
    },
  );
});

describe('readParallel and readText', () => {
  it('zips line-aligned files and rejects different line counts', async () => {
    const src = tempFile('Oi.\nTchau.\n');
    expect(await collect(readParallel(src, tempFile('Hi.\nBye.\n')))).toEqual([
      { source: 'Oi.', target: 'Hi.', line: 1 },
      { source: 'Tchau.', target: 'Bye.', line: 2 },
    ]);
    await expect(collect(readParallel(src, tempFile('Hi.\n')))).rejects.toThrow(/:2: has fewer lines than/);
    await expect(collect(readParallel(src, tempFile('Hi.\nBye.\nMore.\n')))).rejects.toThrow(/:3: has more lines than/);
  });

  it('reads plain text, skipping empty lines unless told they are errors', async () => {
    const f = tempFile('one\n\n  \ntwo\n');
    expect((await collect(readText(f))).map((l) => [l.text, l.line])).toEqual([
      ['one', 1],
      ['two', 4],
    ]);
    await expect(collect(readText(f, { emptyLines: 'error' }))).rejects.toThrow(/:2: empty line/);
  });
});

describe('splitLines and readTextLines (text read at once)', () => {
  it('split like the streaming reader: BOM dropped, LF and CRLF end a line, no extra line after a final newline', () => {
    expect(splitLines('\uFEFFa\r\n\r\nb\nc')).toEqual(['a', '', 'b', 'c']);
    expect(splitLines('a\n')).toEqual(['a']);
    expect(readTextLines(tempFile('\uFEFFx\r\ny\n'))).toEqual(['x', 'y']);
  });
  it('invalid UTF-8 names file:line; an unreadable file names the file', () => {
    const f = tempFile(Buffer.concat([Buffer.from('good\nstill good\nbad '), Buffer.from([0xff]), Buffer.from('\n')]));
    expect(() => readTextLines(f)).toThrow(new CorpusError(f, 3, 'invalid UTF-8'));
    expect(() => readTextLines(`${f}.missing`)).toThrow(/\.missing: cannot read \(ENOENT\)/);
  });
});

describe('readLines verbatim (as parley eval reads, like Python open(newline="\\n"))', () => {
  it('splits at LF only and keeps a BOM and every CR; only undecodable bytes are bad, in the encoding given', async () => {
    const text = async (f: string, o = {}) =>
      (await collect(readLines(f, { verbatim: true, ...o }))).map((l) => l.text);
    expect(await text(tempFile('\uFEFFa\r\nb\rc\n\ufeffd'))).toEqual(['\uFEFFa\r', 'b\rc', '\ufeffd']);
    const latin1 = tempFile(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await expect(text(latin1)).rejects.toThrow(`${latin1}:1: invalid UTF-8`);
    expect(await text(latin1, { encoding: 'latin1' })).toEqual(['café']);
  });
});
