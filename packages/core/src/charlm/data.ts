// Training text for char-LMs. Dialogue becomes one `Speaker: text` line per turn, episodes separated
// by a blank line, so the model learns who speaks; the split keeps whole episodes apart. Batches follow
// char-rnn: the text is cut into `batchSize` contiguous streams read `seqLen` characters at a time, so
// the recurrent state carries from one batch to the next (truncated BPTT).
import { collect, readDialogue, readTextLines, splitDataset } from '@parley/text';

/** One episode (or text block): the unit the split keeps together. */
export interface TextDoc {
  name: string;
  text: string;
}

/** One dialogue turn as the model sees it. */
export function turnLine(speaker: string, text: string): string {
  return `${speaker}: ${text}\n`;
}

/** Reads a dialogue TSV into one document per episode, each turn on its own line. */
export async function readDialogueDocs(file: string): Promise<TextDoc[]> {
  const docs: TextDoc[] = [];
  for (const u of await collect(readDialogue(file))) {
    let last = docs[docs.length - 1];
    if (!last || last.name !== u.episode) docs.push((last = { name: u.episode, text: '' }));
    last.text += turnLine(u.speaker, u.text);
  }
  return docs;
}

/**
 * Reads a plain text file as blocks of `linesPerBlock` lines (the split unit), split as every reader splits
 * (@parley/text's readTextLines: a BOM dropped, CRLF or LF, invalid UTF-8 an error naming file:line).
 */
export function readTextDocs(file: string, linesPerBlock = 1000): TextDoc[] {
  const lines = readTextLines(file);
  const docs: TextDoc[] = [];
  for (let i = 0; i < lines.length; i += linesPerBlock) {
    docs.push({
      name: `lines ${i + 1}-${Math.min(lines.length, i + linesPerBlock)}`,
      text: lines.slice(i, i + linesPerBlock).join('\n') + '\n',
    });
  }
  return docs;
}

/** Joins documents into one stream (blank line between documents). */
export function joinDocs(docs: readonly TextDoc[]): string {
  return docs.map((d) => d.text).join('\n');
}

/** Train/validation/test texts and which documents went where. */
export interface TextSplit {
  train: string;
  validation: string;
  test: string;
  validationDocs: string[];
  testDocs: string[];
}

/** Splits documents by whole document (episode), seeded. */
export function splitDocs(docs: TextDoc[], validation: number, test: number, seed: number): TextSplit {
  const s = splitDataset(docs, { seed, dev: validation, test, groupBy: (d) => d.name });
  return {
    train: joinDocs(s.train),
    validation: joinDocs(s.dev),
    test: joinDocs(s.test),
    validationDocs: s.dev.map((d) => d.name),
    testDocs: s.test.map((d) => d.name),
  };
}

/**
 * TBPTT batches over an id stream. Row b reads stream[b*rowLen + offset …]; batch i of an epoch holds
 * inputs [batch, seqLen] and targets shifted by one.
 */
export class StreamBatcher {
  readonly rowLen: number;
  readonly batchesPerEpoch: number;

  constructor(
    readonly ids: Int32Array,
    readonly batchSize: number,
    readonly seqLen: number,
  ) {
    this.rowLen = Math.floor((ids.length - 1) / batchSize);
    this.batchesPerEpoch = Math.floor((this.rowLen - seqLen) / seqLen);
    if (this.batchesPerEpoch < 1) {
      throw new Error(
        `text too short: ${ids.length} characters cannot fill batchSize ${batchSize} × (seqLen ${seqLen} + 1) twice`,
      );
    }
  }

  /** Start offset of the rows in an epoch (varies with the epoch so windows do not always align). */
  offset(epoch: number, seed: number): number {
    return ((epoch * 7919 + seed * 31) >>> 0) % this.seqLen;
  }

  /** Inputs and targets of batch `i` of `epoch`, as flat int32 arrays [batchSize * seqLen]. */
  batch(epoch: number, i: number, seed: number): { inputs: Int32Array; targets: Int32Array } {
    const { batchSize: B, seqLen: T } = this;
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    const start = this.offset(epoch, seed) + i * T;
    for (let b = 0; b < B; b++) {
      const base = b * this.rowLen + start;
      inputs.set(this.ids.subarray(base, base + T), b * T);
      targets.set(this.ids.subarray(base + 1, base + T + 1), b * T);
    }
    return { inputs, targets };
  }
}
