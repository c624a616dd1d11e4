// The SentencePiece `.model` file: a protobuf `ModelProto` (sentencepiece_model.proto). This module writes and
// reads the fields Parley uses: pieces (piece, score, type), the trainer spec and the normalizer spec.
import { ProtoWriter, readFields } from './proto';

/** Piece types, as in `ModelProto.SentencePiece.Type`. */
export const PieceType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;
export type PieceTypeValue = (typeof PieceType)[keyof typeof PieceType];

/** One vocabulary entry. */
export interface Piece {
  piece: string;
  /** For BPE: minus the merge rank, so earlier merges win. */
  score: number;
  type: PieceTypeValue;
}

/** Model types, as in `TrainerSpec.ModelType`. */
export const ModelType = { UNIGRAM: 1, BPE: 2, WORD: 3, CHAR: 4 } as const;

/** The trainer settings stored in a model (the subset Parley writes; spm reads these back when encoding). */
export interface TrainerSpec {
  input: string[];
  modelPrefix: string;
  modelType: number;
  vocabSize: number;
  characterCoverage: number;
  maxSentenceLength: number;
  maxSentencepieceLength: number;
  splitByUnicodeScript: boolean;
  splitByWhitespace: boolean;
  splitByNumber: boolean;
  treatWhitespaceAsSuffix: boolean;
  splitDigits: boolean;
  byteFallback: boolean;
  unkId: number;
  bosId: number;
  eosId: number;
  padId: number;
  unkPiece: string;
  bosPiece: string;
  eosPiece: string;
  padPiece: string;
  unkSurface: string;
}

/** Text normalization applied before segmentation. */
export interface NormalizerSpec {
  /** Rule set name: 'nmt_nfkc' or 'identity'. */
  name: string;
  /** Compiled rules (a double-array trie plus replacement strings); empty for identity. */
  precompiledCharsmap: Uint8Array;
  /** Put a `▁` in front of the text, so the first word looks like every other. */
  addDummyPrefix: boolean;
  /** Drop leading, trailing and repeated spaces. */
  removeExtraWhitespaces: boolean;
  /** Replace spaces with `▁` (U+2581). */
  escapeWhitespaces: boolean;
}

export interface ModelProto {
  pieces: Piece[];
  trainerSpec: TrainerSpec;
  normalizerSpec: NormalizerSpec;
}

/** The four pieces every Parley-trained model starts with, at ids 0–3: pad, unk, bos (`<s>`), eos (`</s>`). */
export function reservedPieces(): Piece[] {
  return [
    { piece: '<pad>', score: 0, type: PieceType.CONTROL },
    { piece: '<unk>', score: 0, type: PieceType.UNKNOWN },
    { piece: '<s>', score: 0, type: PieceType.CONTROL },
    { piece: '</s>', score: 0, type: PieceType.CONTROL },
  ];
}

/** Defaults of `TrainerSpec` as spm_train writes them, with Parley's id layout pad 0, unk 1, bos 2, eos 3. */
export function defaultTrainerSpec(): TrainerSpec {
  return {
    input: [],
    modelPrefix: '',
    modelType: ModelType.BPE,
    vocabSize: 8000,
    characterCoverage: 0.9995,
    maxSentenceLength: 4192,
    maxSentencepieceLength: 16,
    splitByUnicodeScript: true,
    splitByWhitespace: true,
    splitByNumber: true,
    treatWhitespaceAsSuffix: false,
    splitDigits: false,
    byteFallback: false,
    unkId: 1,
    bosId: 2,
    eosId: 3,
    padId: 0,
    unkPiece: '<unk>',
    bosPiece: '<s>',
    eosPiece: '</s>',
    padPiece: '<pad>',
    unkSurface: ' \u2047 ',
  };
}

/** Serializes a model to the bytes of a `.model` file. */
export function encodeModel(model: ModelProto): Uint8Array {
  const w = new ProtoWriter();
  for (const p of model.pieces) {
    const pw = new ProtoWriter().string(1, p.piece).float(2, p.score);
    if (p.type !== PieceType.NORMAL) pw.int(3, p.type);
    w.message(1, pw);
  }
  const t = model.trainerSpec;
  const tw = new ProtoWriter();
  for (const f of t.input) tw.string(1, f);
  tw.string(2, t.modelPrefix).int(3, t.modelType).int(4, t.vocabSize).float(10, t.characterCoverage);
  tw.int(16, 1).int(18, t.maxSentenceLength).int(20, t.maxSentencepieceLength);
  tw.bool(21, t.splitByUnicodeScript).bool(22, t.splitByWhitespace).bool(23, t.splitByNumber);
  tw.bool(24, t.treatWhitespaceAsSuffix).bool(25, t.splitDigits).bool(26, false);
  tw.bool(32, true).bool(33, true).bool(34, false).bool(35, t.byteFallback);
  tw.int(40, t.unkId).int(41, t.bosId).int(42, t.eosId).int(43, t.padId);
  tw.string(44, t.unkSurface)
    .string(45, t.unkPiece)
    .string(46, t.bosPiece)
    .string(47, t.eosPiece)
    .string(48, t.padPiece);
  w.message(2, tw);
  const n = model.normalizerSpec;
  const nw = new ProtoWriter().string(1, n.name);
  if (n.precompiledCharsmap.length) nw.bytes(2, n.precompiledCharsmap);
  nw.bool(3, n.addDummyPrefix).bool(4, n.removeExtraWhitespaces).bool(5, n.escapeWhitespaces);
  w.message(3, nw);
  return w.finish();
}

/** Reads a `.model` file's pieces, trainer spec and normalizer spec (other fields are ignored). */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const dec = new TextDecoder('utf-8', { fatal: true });
  const model: ModelProto = {
    pieces: [],
    trainerSpec: { ...defaultTrainerSpec(), modelType: ModelType.UNIGRAM, unkId: 0, bosId: 1, eosId: 2, padId: -1 },
    normalizerSpec: {
      name: '',
      precompiledCharsmap: new Uint8Array(),
      addDummyPrefix: true,
      removeExtraWhitespaces: true,
      escapeWhitespaces: true,
    },
  };
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.bytes) {
      const p: Piece = { piece: '', score: 0, type: PieceType.NORMAL };
      for (const g of readFields(f.bytes)) {
        if (g.field === 1 && g.bytes) p.piece = dec.decode(g.bytes);
        else if (g.field === 2) p.score = g.number ?? 0;
        else if (g.field === 3) p.type = (g.number ?? 1) as PieceTypeValue;
      }
      model.pieces.push(p);
    } else if (f.field === 2 && f.bytes) {
      const t = model.trainerSpec;
      for (const g of readFields(f.bytes)) {
        const num = g.number ?? 0;
        const str = () => dec.decode(g.bytes!);
        switch (g.field) {
          case 1:
            t.input.push(str());
            break;
          case 2:
            t.modelPrefix = str();
            break;
          case 3:
            t.modelType = num;
            break;
          case 4:
            t.vocabSize = num;
            break;
          case 10:
            t.characterCoverage = num;
            break;
          case 18:
            t.maxSentenceLength = num;
            break;
          case 20:
            t.maxSentencepieceLength = num;
            break;
          case 21:
            t.splitByUnicodeScript = num !== 0;
            break;
          case 22:
            t.splitByWhitespace = num !== 0;
            break;
          case 23:
            t.splitByNumber = num !== 0;
            break;
          case 24:
            t.treatWhitespaceAsSuffix = num !== 0;
            break;
          case 25:
            t.splitDigits = num !== 0;
            break;
          case 35:
            t.byteFallback = num !== 0;
            break;
          case 40:
            t.unkId = num;
            break;
          case 41:
            t.bosId = num;
            break;
          case 42:
            t.eosId = num;
            break;
          case 43:
            t.padId = num;
            break;
          case 44:
            t.unkSurface = str();
            break;
          case 45:
            t.unkPiece = str();
            break;
          case 46:
            t.bosPiece = str();
            break;
          case 47:
            t.eosPiece = str();
            break;
          case 48:
            t.padPiece = str();
            break;
        }
      }
    } else if (f.field === 3 && f.bytes) {
      const n = model.normalizerSpec;
      for (const g of readFields(f.bytes)) {
        if (g.field === 1 && g.bytes) n.name = dec.decode(g.bytes);
        else if (g.field === 2 && g.bytes) n.precompiledCharsmap = g.bytes.slice();
        else if (g.field === 3) n.addDummyPrefix = g.number !== 0;
        else if (g.field === 4) n.removeExtraWhitespaces = g.number !== 0;
        else if (g.field === 5) n.escapeWhitespaces = g.number !== 0;
      }
    }
  }
  if (!model.pieces.length) throw new Error('not a SentencePiece model (no pieces)');
  return model;
}
