// Types for sentencepiece-js 1.1 (a WASM build of Google's SentencePiece), which ships none.
declare module 'sentencepiece-js' {
  interface EmbindStatus {
    ToString(): string;
    delete(): void;
  }
  interface EmbindProcessor {
    status(): EmbindStatus;
  }
  export class SentencePieceProcessor {
    /** Reads the `.model` file at `path` (silently ignores load errors: check `processor.status()`). */
    load(path: string): Promise<void>;
    encodeIds(text: string): number[];
    encodePieces(text: string): string[];
    decodeIds(ids: number[]): string;
    processor: EmbindProcessor;
  }
  export function cleanText(text: string): string;
  const index: { SentencePieceProcessor: typeof SentencePieceProcessor; cleanText: typeof cleanText };
  export default index;
}
