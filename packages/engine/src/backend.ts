// Backend choice: the fastest TensorFlow.js backend that loads here, in the order
// node-gpu → node → wasm → cpu. `PARLEY_BACKEND=node-gpu|node|wasm|cpu` forces one.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { errorMessage } from './errors';
import { withNativeStderrSilenced } from './native-stderr';
import { registerNodeKernelFixes } from './node-kernels';

export type BackendName = 'node-gpu' | 'node' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['node-gpu', 'node', 'wasm', 'cpu'];

/** What `initBackend` chose and why faster backends were passed over. */
export interface BackendReport {
  /** The backend that runs Parley's tensors. */
  name: BackendName;
  /** The name tfjs knows the backend by (`tensorflow`, `wasm`, `cpu`). */
  tfName: string;
  /** Faster backends that were tried and skipped, each with the reason. */
  skipped: { name: BackendName; reason: string }[];
  /** True when PARLEY_BACKEND forced the choice. */
  forced: boolean;
}

const require = createRequire(import.meta.url);

/**
 * Threads for the wasm backend's matmuls/convolutions: PARLEY_WASM_THREADS (default 1). More than 1 starts
 * tfjs' threaded wasm build; it helps only when cores are idle (the pool spins while waiting).
 */
function wasmThreads(): number {
  const n = Number(process.env.PARLEY_WASM_THREADS ?? 1);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 8) : 1;
}

/** Threads the wasm backend actually runs with (1 unless PARLEY_WASM_THREADS asked for more and it started). */
export function wasmThreadCount(): number {
  try {
    return getThreadsCount();
  } catch {
    return 1;
  }
}
/**
 * Threads for libtensorflow's intra-op pool on node: PARLEY_NODE_THREADS, else TF_NUM_INTRAOP_THREADS, else
 * the core count (libtensorflow's own default too; made explicit so `parley backend` can say it). Read by
 * libtensorflow once, when tfjs-node loads.
 */
function nodeThreads(): number {
  const n = Number(process.env.PARLEY_NODE_THREADS ?? process.env.TF_NUM_INTRAOP_THREADS ?? availableParallelism());
  return Number.isInteger(n) && n >= 1 ? n : availableParallelism();
}

let current: Promise<BackendReport> | undefined;

function shortReason(err: unknown): string {
  const message = errorMessage(err);
  if (/Cannot find (module|package)/.test(message)) return 'not installed';
  return message.split('\n')[0]!.slice(0, 120);
}

/** Silences tfjs' "install tfjs-node" banner, printed on the cpu backend's first write. */
function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | undefined;
  if (cpu) cpu.firstUse = false;
}

async function tryBackend(name: BackendName): Promise<string> {
  switch (name) {
    case 'node-gpu':
    case 'node': {
      process.env.TF_NUM_INTRAOP_THREADS = String(nodeThreads());
      // libtensorflow's info and warning lines (PARLEY_DEBUG=1 keeps them); the absl lines it prints while
      // loading, before it reads this variable, are silenced by withNativeStderrSilenced.
      if (process.env.PARLEY_DEBUG !== '1') process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
      const pkg = name === 'node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
      withNativeStderrSilenced(() => require(pkg) as unknown);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('tensorflow backend failed to start');
      registerNodeKernelFixes();
      return 'tensorflow';
    }
    case 'wasm': {
      const { registerWasmKernelFixes } = await import('./wasm-kernels');
      const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      setWasmPaths(`${wasmDir}/`);
      const threads = wasmThreads();
      // The threaded build only starts in Node with Parley's shims (see wasm-threads.ts); opt-in.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
      if (threads > 1) {
        const { withThreadShims, unrefWorkers } = await import('./wasm-threads');
        setThreadsCount(threads);
        if (!(await withThreadShims(threads, () => tf.setBackend('wasm'))))
          throw new Error('wasm backend failed to start');
        unrefWorkers((tf.backend() as unknown as { wasm: unknown }).wasm);
      } else if (!(await tf.setBackend('wasm'))) {
        throw new Error('wasm backend failed to start');
      }
      registerWasmKernelFixes();
      return 'wasm';
    }
    case 'cpu': {
      if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to start');
      silenceCpuBanner();
      (await import('./wasm-kernels')).registerWasmKernelFixes();
      return 'cpu';
    }
  }
}

/**
 * Chooses and starts a backend now, without initBackend's once-per-process cache: `requested` forces one,
 * undefined picks the fastest that starts (PARLEY_BACKEND is not read here).
 */
export async function chooseBackend(requested: string | undefined): Promise<BackendReport> {
  silenceCpuBanner();
  if (requested) {
    if (!(BACKEND_ORDER as readonly string[]).includes(requested)) {
      throw new Error(`PARLEY_BACKEND=${requested} is not one of ${BACKEND_ORDER.join(', ')}`);
    }
    const name = requested as BackendName;
    try {
      const tfName = await tryBackend(name);
      return { name, tfName, skipped: [], forced: true };
    } catch (err) {
      throw new Error(`PARLEY_BACKEND=${name} could not start: ${shortReason(err)}`);
    }
  }
  const skipped: BackendReport['skipped'] = [];
  for (const name of BACKEND_ORDER) {
    try {
      const tfName = await tryBackend(name);
      return { name, tfName, skipped, forced: false };
    } catch (err) {
      skipped.push({ name, reason: shortReason(err) });
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

/**
 * Starts the backend once per process (later calls return the same report).
 * @param requested a backend to force; defaults to the PARLEY_BACKEND environment variable.
 */
export function initBackend(
  requested: string | undefined = process.env.PARLEY_BACKEND || undefined,
): Promise<BackendReport> {
  current ??= chooseBackend(requested);
  return current;
}

/** Switches to another backend within this process (tests run the same op on cpu and wasm). */
export async function useBackend(name: BackendName): Promise<BackendReport> {
  const tfName = await tryBackend(name);
  current = Promise.resolve({ name, tfName, skipped: [], forced: true });
  return current;
}

/** One line for users: the active backend, why it runs, and why faster ones were skipped. */
export function describeBackend(report: BackendReport): string {
  const threads =
    report.name === 'wasm'
      ? wasmThreadCount()
      : report.tfName === 'tensorflow'
        ? Number(process.env.TF_NUM_INTRAOP_THREADS)
        : 1;
  const why = report.forced
    ? 'forced by PARLEY_BACKEND'
    : report.skipped.length === 0
      ? 'the fastest backend'
      : 'the fastest one installed';
  const base = `backend: ${report.name}${threads > 1 ? ` (${threads} threads)` : ''} (${why})`;
  if (report.skipped.length === 0) return base;
  return `${base}; skipped ${report.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}`;
}
