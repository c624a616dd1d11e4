// @parley/core public API: character-level language models, attention encoder-decoders, classifiers and word embeddings.
export * from './common/index';
export * from './charlm/index';
export * from './seq2seq/index';
export * from './config';
export * from './classifier/index';
export * from './embeddings/index';
