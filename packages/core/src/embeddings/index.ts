// Word embeddings: `kind: embeddings` configs, the skip-gram trainer and model directories.
export * from './config';
export { trainSkipGram, unigramTable } from './sgns';
export type { SgnsCorpus, SgnsOptions, SgnsProgress, SgnsResult } from './sgns';
export * from './train';
