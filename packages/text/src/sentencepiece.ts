// SentencePiece `.model` files, encoded and decoded by sentencepiece-js (Google's C++ SentencePiece compiled to
// WASM), so segmentation is the same as `spm_encode`. The model is also parsed here to know its pieces and ids.
import { errorMessage } from '@parley/engine/errors';
import { readFileSync } from 'node:fs';
import spjs from 'sentencepiece-js';
import type { ModelProto } from './spm/model';
import { PieceType, decodeModel } from './spm/model';
import type { Tokenizer } from './tokenizer';

/** A SentencePiece model (BPE or unigram) loaded for encoding and decoding. */
export class SentencePieceTokenizer implements Tokenizer {
  private readonly ids = new Map<string, number>();

  private constructor(
    /** The parsed model (pieces, trainer and normalizer specs). */
    readonly model: ModelProto,
    private readonly processor: InstanceType<typeof spjs.SentencePieceProcessor>,
    /** The file it was loaded from. */
    readonly path: string,
  ) {
    model.pieces.forEach((p, i) => this.ids.set(p.piece, i));
  }

  /** Loads a `.model` file; throws naming the file when it is not a SentencePiece model. */
  static async load(path: string): Promise<SentencePieceTokenizer> {
    let model: ModelProto;
    try {
      model = decodeModel(readFileSync(path));
    } catch (e) {
      throw new Error(`${path}: not a SentencePiece model (${errorMessage(e)})`);
    }
    const processor = new spjs.SentencePieceProcessor();
    await processor.load(path);
    const status = processor.processor.status();
    const message = status.ToString();
    status.delete();
    if (message !== 'OK') throw new Error(`${path}: SentencePiece could not load it: ${message}`);
    return new SentencePieceTokenizer(model, processor, path);
  }

  get vocabSize(): number {
    return this.model.pieces.length;
  }

  /** Id of unknown text (1 in models Parley trains; 0 in spm_train's default layout). */
  get unkId(): number {
    return this.model.pieces.findIndex((p) => p.type === PieceType.UNKNOWN);
  }

  /** Ids of the reserved pieces from the model's trainer spec (-1 when the model has none). */
  get bosId(): number {
    return this.model.trainerSpec.bosId;
  }
  get eosId(): number {
    return this.model.trainerSpec.eosId;
  }
  get padId(): number {
    return this.model.trainerSpec.padId;
  }

  /** Piece ids of `text` (normalized by the model's rules first). */
  encode(text: string): number[] {
    return this.processor.encodeIds(text);
  }

  /** Pieces of `text`, e.g. `['▁Hel', 'lo']`. */
  encodePieces(text: string): string[] {
    return this.processor.encodePieces(text);
  }

  /** Text of `ids`: pieces joined, `▁` turned back into spaces; control ids (pad, bos, eos) are dropped. */
  decode(ids: ArrayLike<number>): string {
    const list = Array.from(ids);
    for (const id of list)
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize)
        throw new Error(`${this.path}: id ${id} out of range 0..${this.vocabSize - 1}`);
    return this.processor.decodeIds(list);
  }

  /** Text of pieces (as `decode`, from piece strings). */
  decodePieces(pieces: readonly string[]): string {
    return this.decode(pieces.map((p) => this.pieceToId(p)));
  }

  /** The piece of an id. */
  idToPiece(id: number): string {
    const p = this.model.pieces[id];
    if (!p) throw new Error(`${this.path}: id ${id} out of range 0..${this.vocabSize - 1}`);
    return p.piece;
  }

  /** The id of a piece, or the unk id. */
  pieceToId(piece: string): number {
    return this.ids.get(piece) ?? this.unkId;
  }
}
