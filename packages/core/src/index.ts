// @parley/core public API: character-level language models and attention encoder-decoders.
export * from './common/index';
export * from './charlm/index';
export * from './seq2seq/index';
export * from './config';
export * from './classifier/index';
