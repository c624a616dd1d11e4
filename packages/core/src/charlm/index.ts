// Character-level language models.
export * from './config';
export * from './data';
export * from './model';
export * from './model-dir';
export * from './evaluate';
export * from './train';
export * from './chat';
export { CharLmGradients } from './parallel';
export type { CharLmStepBatch } from './parallel';
