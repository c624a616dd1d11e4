// The data files a training config names are checked the one way, by every trainer, before anything is read or
// written: a missing file, a directory, or a file with no text (empty, or only blank lines) is a DataFileError
// naming the config key and the file. Without it an empty file surfaced as whatever broke first: a seq2seq run
// of 0 updates that exited 0, "splitDataset: dev + test (2) exceed the 0 groups", "file:0: only 0 word(s)",
// or "file:1: empty line". The CLI reports it as a usage error (exit 2), as it does a bad config value.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/** A data file named by a config that cannot be trained on; the message reads `key: file …`. */
export class DataFileError extends Error {
  constructor(
    /** The config key that names the file, e.g. `data.train[0]`. */
    readonly key: string,
    /** The file. */
    readonly file: string,
    /** What is wrong, e.g. "is empty". */
    readonly problem: string,
  ) {
    super(`${key}: ${file} ${problem}`);
    this.name = 'DataFileError';
  }
}

/** Whether `file` holds a byte other than ASCII whitespace or a byte-order mark; reads only as far as it must. */
function hasText(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return false;
      for (let i = 0; i < n; i++) {
        const b = buf[i]!;
        // space, \t \n \v \f \r, and the UTF-8 BOM's bytes (EF BB BF) are not text
        if (b !== 0x20 && (b < 0x09 || b > 0x0d) && b !== 0xef && b !== 0xbb && b !== 0xbf) return true;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Throws a DataFileError unless `file` (named by config key `key`) exists, is a file and holds some text.
 */
export function checkDataFile(key: string, file: string): void {
  if (!existsSync(file))
    throw new DataFileError(
      key,
      file,
      'not found (files under ${shared} need PARLEY_SHARED or ../shared beside the repository)',
    );
  const st = statSync(file);
  if (st.isDirectory()) throw new DataFileError(key, file, 'is a directory, not a data file');
  if (st.size === 0) throw new DataFileError(key, file, 'is empty: there is no text to train on');
  if (!hasText(file)) throw new DataFileError(key, file, 'holds only blank lines: there is no text to train on');
}
