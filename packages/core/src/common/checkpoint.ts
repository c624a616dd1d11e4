// Checkpoints: `<model dir>/checkpoints/{last,best}/`, each a complete directory with the model's
// float32 weights, the optimizer moments and a JSON training state, replaced atomically.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recoverDir, replaceDirAtomic } from '@parley/text';
import { encodeWeights, loadWeights, type NamedTensors } from './weights';
import { writeFileSync } from 'node:fs';
import type { JsonValue } from './manifest';

/** Version of the checkpoint directory layout. */
export const CHECKPOINT_VERSION = 1;

/** Which checkpoint: the latest one, or the one with the best validation loss. */
export type CheckpointSlot = 'last' | 'best';

/** What a checkpoint holds. `state` is the trainer's JSON (step, epoch, lr, RNG and data position …). */
export interface Checkpoint {
  weights: NamedTensors;
  optimizer: NamedTensors;
  state: { [key: string]: JsonValue };
}

export function checkpointDir(modelDir: string, slot: CheckpointSlot): string {
  return join(modelDir, 'checkpoints', slot);
}

/** Writes a checkpoint into `modelDir/checkpoints/<slot>`, replacing the old one atomically. */
export async function saveCheckpoint(modelDir: string, slot: CheckpointSlot, ckpt: Checkpoint): Promise<void> {
  const weights = encodeWeights(ckpt.weights, 'float32');
  const optimizer = encodeWeights(ckpt.optimizer, 'float32');
  await replaceDirAtomic(checkpointDir(modelDir, slot), (tmp) => {
    writeFileSync(join(tmp, 'weights.bin'), weights);
    writeFileSync(join(tmp, 'optimizer.bin'), optimizer);
    writeFileSync(
      join(tmp, 'state.json'),
      JSON.stringify({ checkpointVersion: CHECKPOINT_VERSION, ...ckpt.state }, null, 2) + '\n',
    );
  });
}

/** True when the checkpoint slot exists and is complete (restoring one a kill left as `<slot>.old`). */
export function hasCheckpoint(modelDir: string, slot: CheckpointSlot): boolean {
  recoverDir(checkpointDir(modelDir, slot));
  return existsSync(join(checkpointDir(modelDir, slot), 'state.json'));
}

/** Reads a checkpoint; throws naming the directory when it is missing or of a newer layout. */
export function loadCheckpoint(modelDir: string, slot: CheckpointSlot): Checkpoint {
  const dir = checkpointDir(modelDir, slot);
  recoverDir(dir);
  const statePath = join(dir, 'state.json');
  if (!existsSync(statePath)) throw new Error(`${dir}: no checkpoint here`);
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as { [key: string]: JsonValue };
  const version = state.checkpointVersion;
  if (typeof version !== 'number' || version > CHECKPOINT_VERSION) {
    throw new Error(
      `${statePath}: checkpointVersion ${String(version)} is not one this Parley reads (${CHECKPOINT_VERSION})`,
    );
  }
  return { weights: loadWeights(join(dir, 'weights.bin')), optimizer: loadWeights(join(dir, 'optimizer.bin')), state };
}
