// `parley corpus list | fetch NAME`: download corpora described by the manifests in corpora/ (URL, size,
// sha256, licence, format), resuming partial downloads, verifying checksums, and converting them to pairs.tsv.
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  writeSync,
  rmSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { configError, readConfigFile, s, type Infer } from '@parley/core/schema';
import { errorMessage } from '@parley/engine/errors';
import { defineCommand, defineCommandGroup } from '../command';
import { REPO_ROOT } from '../paths';
import { filterCommand } from '../corpus-filter';

/**
 * A corpus manifest (corpora/<name>.yaml; see corpora/README.md), declared in the one config syntax
 * (@parley/core/schema): an unknown key (a misspelt `sha256:` would have skipped the checksum) is an error with a
 * suggestion, and every problem reads `file:line: key: problem`.
 */
const manifestSchema = s.object(
  {
    name: s.string({ doc: "The corpus name. Default: the manifest's file name." }),
    description: s.string({ doc: 'One line for `parley corpus list`.' }),
    licence: s.string({ required: true, doc: 'The licence the data comes under (printed after a fetch).' }),
    homepage: s.string({ doc: 'Where the corpus is described.' }),
    files: s.list(
      s.object(
        {
          url: s.string({ required: true, doc: 'Where to download the file.' }),
          sha256: s.string({
            doc: 'Its checksum, verified after the download; null = not pinned (the fetch prints it).',
          }),
          size: s.int({ min: 0, doc: 'Its size in bytes; null = not pinned.' }),
        },
        { doc: 'A file to download.' },
      ),
      { required: true, doc: 'The files to download, in order.' },
    ),
    format: s.oneOf(['tsv', 'zip-tsv', 'parallel'], {
      required: true,
      doc: 'tsv: one file of tab-separated pairs; zip-tsv: such a file inside a zip (`member`); parallel: two line-aligned files, source then target.',
    }),
    member: s.string({ doc: 'format zip-tsv: the archive member holding the pairs.' }),
    columns: s.object(
      {
        source: s.int({ min: 1, default: 1, doc: 'The source column (1-based).' }),
        target: s.int({ min: 1, default: 2, doc: 'The target column (1-based).' }),
        extra: s.list(s.int({ min: 1, required: true, doc: 'A column kept after the pair (e.g. attribution).' }), {
          doc: 'Columns kept after the pair.',
        }),
      },
      { doc: 'Which tab-separated columns hold the pair.' },
    ),
  },
  { doc: 'A corpus manifest.' },
);

/** A corpus manifest, checked. */
export type CorpusManifest = Infer<typeof manifestSchema> & { name: string };

/** Where manifests live: PARLEY_CORPORA or <repo>/corpora. */
export function manifestDir(): string {
  return process.env.PARLEY_CORPORA ?? join(REPO_ROOT, 'corpora');
}

export function readCorpusManifest(dir: string, name: string): CorpusManifest {
  const path = join(dir, `${name}.yaml`);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name) || !existsSync(path)) {
    const known = existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.yaml'))
          .map((f) => f.slice(0, -5))
      : [];
    throw new Error(`no corpus manifest ${path} (known: ${known.join(', ') || 'none'})`);
  }
  const { raw, ctx } = readConfigFile(path, REPO_ROOT);
  const m = manifestSchema.parse(raw, [], ctx);
  if (m.files.length === 0) throw configError(ctx, ['files'], 'must list at least one file');
  if (m.format === 'parallel' && m.files.length !== 2)
    throw configError(ctx, ['files'], 'format parallel needs exactly two files (source, target)');
  if (m.format === 'zip-tsv' && m.member === undefined)
    throw configError(ctx, ['member'], 'format zip-tsv needs the archive member');
  return { ...m, name: m.name ?? name };
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Downloads `url` to `dest`, resuming `dest.part` with an HTTP Range request when it exists. */
export async function download(url: string, dest: string, log: (s: string) => void): Promise<void> {
  const part = `${dest}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  let res: Response;
  try {
    res = await fetch(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {} });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `cannot download ${url}: ${cause?.code ?? cause?.message ?? errorMessage(err)} (no network connection?)`,
    );
  }
  if (res.status === 416 && have > 0) {
    renameSync(part, dest); // the partial file is already complete
    return;
  }
  if (!res.ok || !res.body) throw new Error(`cannot download ${url}: HTTP ${res.status} ${res.statusText}`);
  const resumed = res.status === 206;
  if (have > 0)
    log(
      resumed
        ? `resuming ${basename(dest)} at ${have} bytes`
        : `server ignored the resume request; restarting ${basename(dest)}`,
    );
  const fd = openSync(part, resumed ? 'a' : 'w');
  let bytes = resumed ? have : 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      writeSync(fd, chunk);
      bytes += chunk.byteLength;
    }
  } finally {
    closeSync(fd);
  }
  renameSync(part, dest);
  log(`downloaded ${basename(dest)} (${bytes} bytes)`);
}

/** The bytes of `member` in a zip archive (stored or deflated), found through the central directory. */
export function unzipMember(zip: Buffer, member: string, source: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${source}: not a zip archive`);
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`${source}: damaged zip central directory`);
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (name === member) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${source}: ${member} uses zip method ${method}, which Parley cannot unpack`);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${source}: no member ${member} in the archive`);
}

/** Converts the downloaded files to `source<TAB>target[<TAB>extra…]` lines; returns the pair count. */
export function convert(m: CorpusManifest, files: string[], out: string): number {
  const lines = (buf: Buffer) =>
    buf
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
  const rows: string[] = [];
  if (m.format === 'parallel') {
    const [src, tgt] = files.map((f) => lines(readFileSync(f)));
    if (src!.at(-1) === '') src!.pop();
    if (tgt!.at(-1) === '') tgt!.pop();
    if (src!.length !== tgt!.length)
      throw new Error(`${files[0]} has ${src!.length} lines but ${files[1]} has ${tgt!.length}`);
    src!.forEach((s, i) => rows.push(`${s.replace(/\t/g, ' ')}\t${tgt![i]!.replace(/\t/g, ' ')}`));
  } else {
    const text =
      m.format === 'zip-tsv' ? unzipMember(readFileSync(files[0]!), m.member!, files[0]!) : readFileSync(files[0]!);
    const c = m.columns;
    lines(text).forEach((l, i) => {
      if (l.trim() === '') return;
      const f = l.split('\t');
      const need = Math.max(c.source, c.target, ...(c.extra ?? []));
      if (f.length < need)
        throw new Error(
          `${files[0]}${m.member ? `:${m.member}` : ''}:${i + 1}: expected at least ${need} tab-separated columns, found ${f.length}`,
        );
      rows.push([c.source, c.target, ...(c.extra ?? [])].map((k) => f[k - 1]!).join('\t'));
    });
  }
  const tmp = `${out}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, rows.join('\n') + (rows.length ? '\n' : ''));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, out);
  return rows.length;
}

/** Fetches corpus `name` into `dataDir/name/`; returns the path of pairs.tsv. */
export async function fetchCorpus(
  name: string,
  opts: { manifests?: string; dataDir?: string; log?: (s: string) => void } = {},
): Promise<string> {
  const log = opts.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const m = readCorpusManifest(opts.manifests ?? manifestDir(), name);
  const dir = join(opts.dataDir ?? join(manifestDir(), 'data'), name);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const f of m.files) {
    const dest = join(dir, basename(new URL(f.url).pathname) || 'download');
    if (!existsSync(dest)) await download(f.url, dest, log);
    else log(`${basename(dest)} already downloaded`);
    const size = statSync(dest).size;
    if (f.size !== null && f.size !== undefined && size !== f.size) {
      rmSync(dest);
      throw new Error(`${dest}: size ${size} bytes, the manifest says ${f.size}; removed it, fetch again`);
    }
    const sum = await sha256(dest);
    if (f.sha256) {
      if (sum !== f.sha256.toLowerCase()) {
        rmSync(dest);
        throw new Error(`${dest}: sha256 ${sum} does not match the manifest's ${f.sha256}; removed it, fetch again`);
      }
      log(`${basename(dest)}: sha256 verified`);
    } else log(`${basename(dest)}: sha256 ${sum} (not pinned in ${name}.yaml)`);
    files.push(dest);
  }
  const out = join(dir, 'pairs.tsv');
  const n = convert(m, files, out);
  log(`${name}: ${n} pairs → ${out}\nlicence: ${m.licence}`);
  return out;
}

const listCommand = defineCommand(
  { name: 'corpus list', summary: 'list the corpus manifests in corpora/ (or $PARLEY_CORPORA)', options: {} },
  async () => {
    const dir = manifestDir();
    for (const f of readdirSync(dir)
      .filter((x) => x.endsWith('.yaml'))
      .sort()) {
      const m = readCorpusManifest(dir, f.slice(0, -5));
      process.stdout.write(`${m.name.padEnd(24)} ${m.description ?? ''}\n${''.padEnd(24)} licence: ${m.licence}\n`);
    }
    return 0;
  },
);

const fetchCommand = defineCommand(
  {
    name: 'corpus fetch',
    summary: "download a corpus's files (resumable, checksum-verified) and write DIR/NAME/pairs.tsv",
    positionals: [{ name: 'name', help: 'the corpus (corpora/NAME.yaml)', required: true }],
    options: { dir: { type: 'string', arg: 'DIR', defaultText: 'corpora/data', help: 'where corpora are downloaded' } },
  },
  async ({ opts, args }) => {
    process.stdout.write((await fetchCorpus(args.name, opts.dir !== undefined ? { dataDir: opts.dir } : {})) + '\n');
    return 0;
  },
);

export const command = defineCommandGroup({
  name: 'corpus',
  summary: 'list corpus manifests, fetch one (resumable, checksum-verified) into pairs.tsv, or filter pair files',
  subcommands: { list: listCommand, fetch: fetchCommand, filter: filterCommand },
});
