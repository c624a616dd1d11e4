// Pieces shared by the char-LM and seq2seq models (model directories, checkpoints, optimizers, the config
// schema). Atomic file writes live in @parley/text (atomic.ts), which every package can use.
// Re-exported for core's modules and users; the one implementation is @parley/text's atomic.ts.
export {
  writeFileAtomic,
  writeJsonAtomic,
  replaceDirAtomic,
  recoverDir,
  removeStaleTemps,
  tempPathFor,
} from '@parley/text';
export * from './manifest';
export * from './float16';
export * from './weights';
export * from './optim';
export * from './checkpoint';
export * from './model-weights';
export * from './run-dir';
export * from './data-files';
export { resolveWorkers, ShardPool, averageShards, splitEven, shardSeed } from './data-parallel';
export type { ShardKind, ShardTensors } from './data-parallel';
export * from './events';
export * from './schema';
