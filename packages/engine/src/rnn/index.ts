// The engine's recurrent ops (see types.ts for the contract).
export type { GruWeights, LstmState, LstmWeights, RnnOptions } from './types';
export { createGruWeights, createLstmWeights } from './weights';
export type { WeightOptions } from './weights';
export { lstm } from './lstm';
export { gru } from './gru';
export { gruStep, lstmStep } from './step';
export { embeddingLookup } from './embedding';
export { bidirectional, bidirectionalGru, bidirectionalLstm, stackedGru, stackedLstm } from './stack';
export type { StackOptions } from './stack';
