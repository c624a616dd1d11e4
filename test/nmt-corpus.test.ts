// `parley corpus fetch` against a local HTTP server (never the internet): formats, checksums, resume, offline.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCorpus, unzipMember } from '../apps/parley/src/commands/corpus';

/** A one-member zip archive (deflated), enough for the reader. */
function zipOf(name: string, data: Buffer): Buffer {
  const comp = deflateRawSync(data);
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(comp.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(comp.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(n.length, 28);
  central.writeUInt32LE(0, 42);
  const cdStart = 30 + n.length + comp.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(46 + n.length, 12);
  eocd.writeUInt32LE(cdStart, 16);
  return Buffer.concat([local, n, comp, central, n, eocd]);
}

const tsv = Buffer.from(
  'Hello.\tOlá.\tCC-BY 2.0 (France) Attribution: tatoeba.org #1\nThank you!\tObrigado!\tCC-BY 2.0 (France) Attribution: tatoeba.org #2\n',
);
const files: Record<string, Buffer> = {
  '/por-eng.zip': zipOf('por.txt', tsv),
  '/src.txt': Buffer.from('um\r\ndois\n'),
  '/tgt.txt': Buffer.from('one\ntwo\n'),
  '/big.tsv': Buffer.from(Array.from({ length: 2000 }, (_, i) => `fonte ${i}\tsource ${i}`).join('\n') + '\n'),
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let server: Server;
let base = '';
const ranges: string[] = [];
let dir = '';

function manifest(name: string, body: string): void {
  writeFileSync(join(dir, 'manifests', `${name}.yaml`), body);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-corpus-'));
  server = createServer((req, res) => {
    const body = files[req.url ?? ''];
    if (!body) return void res.writeHead(404).end();
    const range = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    if (range) {
      ranges.push(req.url!);
      const from = Number(range[1]);
      res
        .writeHead(206, { 'content-range': `bytes ${from}-${body.length - 1}/${body.length}` })
        .end(body.subarray(from));
    } else res.writeHead(200).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, 'manifests'));
  manifest(
    'anki',
    `name: anki\nlicence: CC-BY 2.0 FR\nfiles:\n  - { url: "${base}/por-eng.zip", sha256: ${sha(files['/por-eng.zip']!)}, size: ${files['/por-eng.zip']!.length} }\nformat: zip-tsv\nmember: por.txt\ncolumns: { source: 2, target: 1, extra: [3] }\n`,
  );
  manifest(
    'par',
    `name: par\nlicence: test\nfiles:\n  - { url: "${base}/src.txt", sha256: null, size: null }\n  - { url: "${base}/tgt.txt", sha256: null, size: null }\nformat: parallel\n`,
  );
  manifest(
    'bad',
    `name: bad\nlicence: test\nfiles:\n  - { url: "${base}/src.txt", sha256: "${'0'.repeat(64)}", size: null }\nformat: tsv\n`,
  );
  manifest(
    'big',
    `name: big\nlicence: test\nfiles:\n  - { url: "${base}/big.tsv", sha256: ${sha(files['/big.tsv']!)}, size: null }\nformat: tsv\n`,
  );
  manifest(
    'offline',
    `name: offline\nlicence: test\nfiles:\n  - { url: "http://127.0.0.1:9/x.tsv", sha256: null, size: null }\nformat: tsv\n`,
  );
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const opts = () => ({ manifests: join(dir, 'manifests'), dataDir: join(dir, 'data'), log: () => {} });

describe('parley corpus fetch', () => {
  it('downloads a zip, verifies its checksum and writes Portuguese<TAB>English<TAB>attribution', async () => {
    const out = await fetchCorpus('anki', opts());
    expect(readFileSync(out, 'utf8')).toBe(
      'Olá.\tHello.\tCC-BY 2.0 (France) Attribution: tatoeba.org #1\nObrigado!\tThank you!\tCC-BY 2.0 (France) Attribution: tatoeba.org #2\n',
    );
    expect(unzipMember(files['/por-eng.zip']!, 'por.txt', 'x').equals(tsv)).toBe(true);
  });

  it('zips two line-aligned files into pairs (CRLF tolerated)', async () => {
    expect(readFileSync(await fetchCorpus('par', opts()), 'utf8')).toBe('um\tone\ndois\ttwo\n');
  });

  it('rejects a checksum mismatch and removes the file', async () => {
    await expect(fetchCorpus('bad', opts())).rejects.toThrow(/sha256 .* does not match/);
    expect(existsSync(join(dir, 'data', 'bad', 'src.txt'))).toBe(false);
  });

  it('resumes a partial download with a Range request', async () => {
    const d = join(dir, 'data', 'big');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'big.tsv.part'), files['/big.tsv']!.subarray(0, 5000));
    const out = await fetchCorpus('big', opts());
    expect(ranges).toContain('/big.tsv');
    expect(readFileSync(out, 'utf8').split('\n').length).toBe(2001);
  });

  it('says clearly when it cannot connect, and names unknown corpora', async () => {
    await expect(fetchCorpus('offline', opts())).rejects.toThrow(
      /cannot download http:\/\/127\.0\.0\.1:9\/x\.tsv: .*no network connection/,
    );
    await expect(fetchCorpus('nope', opts())).rejects.toThrow(/no corpus manifest .*nope\.yaml \(known: /);
  });

  it('checks a manifest as every config is: a misspelt key (which would skip the checksum) names file:line', async () => {
    manifest(
      'typo',
      `name: typo\nlicence: test\nfiles:\n  - url: "${base}/src.txt"\n    sha265: "${'0'.repeat(64)}"\nformat: tsv\n`,
    );
    await expect(fetchCorpus('typo', opts())).rejects.toThrow(
      /typo\.yaml:5: files\[0\]\.sha265: unknown key \(did you mean sha256\?\)$/,
    );
    manifest('zip', `licence: test\nfiles:\n  - url: "${base}/por-eng.zip"\nformat: zip-tsv\n`);
    await expect(fetchCorpus('zip', opts())).rejects.toThrow(
      /zip\.yaml:\d+: member: format zip-tsv needs the archive member$/,
    );
  });
});
