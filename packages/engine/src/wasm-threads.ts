// Multi-threaded tfjs wasm (XNNPACK on a pthread pool) in Node. The threaded build cannot start in Node as
// shipped: it makes its pthread workers from blob: URLs, which Node's worker_threads cannot load, and it caps
// the pool at os.cpus().length / 2 (1 on a 2-core machine). Here, only while the backend starts:
// URL.createObjectURL returns a worker script written to the temp dir (the shipped worker source, told where
// the main script lives), and os.cpus reports enough CPUs for the requested pool size.
import { createRequire } from 'node:module';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Writes the worker script once per process; returns its path. */
function workerScript(): string {
  const wasmOut = join(
    dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')),
    '../wasm-out',
  );
  const mainScript = join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = require(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  const dir = join(os.tmpdir(), 'parley-tfjs-wasm');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `worker-${process.pid}.cjs`);
  // In the worker, the main script arrives as a Blob; load it from its file instead.
  const prelude = `URL.createObjectURL = () => ${JSON.stringify(mainScript)}; URL.revokeObjectURL = () => {};\n`;
  writeFileSync(`${file}.tmp`, prelude + wasmWorkerContents.replace(/\n/g, '\\n'));
  renameSync(`${file}.tmp`, file);
  process.once('exit', () => rmSync(file, { force: true }));
  return file;
}

/** Runs `start` (which must call tf.setBackend('wasm')) with the shims that let the threaded build start. */
export async function withThreadShims<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const file = workerScript();
  const realUrl = URL.createObjectURL;
  const realCpus = os.cpus;
  URL.createObjectURL = () => file;
  os.cpus = () => {
    const cpus = realCpus();
    return Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]!);
  };
  try {
    return await start();
  } finally {
    URL.createObjectURL = realUrl;
    os.cpus = realCpus;
  }
}

/** Lets the process exit while pool threads idle (emscripten keeps running pthread workers referenced). */
export function unrefWorkers(wasmModule: unknown): void {
  const pthread = (
    wasmModule as { PThread?: { runningWorkers: { unref(): void }[]; unusedWorkers: { unref(): void }[] } }
  ).PThread;
  if (!pthread) return;
  for (const w of [...pthread.runningWorkers, ...pthread.unusedWorkers]) w.unref();
}
