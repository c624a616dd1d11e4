// Pieces shared by the char-LM and seq2seq models (model directories, checkpoints, optimizers).
export * from './atomic';
export * from './manifest';
export * from './float16';
export * from './weights';
export * from './optim';
export * from './checkpoint';
export * from './model-weights';
export * from './run-dir';
export { resolveWorkers, ShardPool, averageShards, splitEven, shardSeed } from './data-parallel';
export type { ShardKind, ShardTensors } from './data-parallel';
export * from './events';
