// Loading tfjs-node without libtensorflow's start-up lines on the user's terminal.
// While the binding loads, libtensorflow logs through absl before TensorFlow reads TF_CPP_MIN_LOG_LEVEL:
//   WARNING: All log messages before absl::InitializeLog() is called are written to STDERR
//   I0000 00:00:… port.cc:153] oneDNN custom operations are on. …
// The only switch that stops them, TF_ENABLE_ONEDNN_OPTS=0, also turns oneDNN off (measured here: ~20% more
// CPU per char-LM training step). So the load runs with file descriptor 2 pointed at /dev/null. Node has no
// dup(); opening /dev/fd/2 gives a second handle on the same stderr (tty, pipe or file, opened for appending),
// which is put back on descriptor 2 afterwards. The load is synchronous, so no JavaScript output is lost.
// PARLEY_DEBUG=1 keeps the lines. Where stderr cannot be reopened the load runs as is and the two lines are
// printed: on Windows, and when stderr is a socket, which is what Node's child_process gives a child by
// default (a parent that wants them gone passes a file or pipe, or sets TF_ENABLE_ONEDNN_OPTS=0; Parley's tests
// do the former, test/support/spawn-sync.ts). Nothing better was found for a socket (libtensorflow 2.21, Node 20):
// Linux refuses to open /dev/fd/2 and /proc/self/fd/2 on one (ENXIO), so once descriptor 2 is closed the socket
// cannot be put back; TF_CPP_MIN_LOG_LEVEL=3 does not stop these two lines; and turning oneDNN off only where
// stderr is a socket would make the same command slower depending on where its errors go.
import { closeSync, fstatSync, openSync } from 'node:fs';

function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

/** Runs `load` (synchronous) with the process' native stderr silenced; JavaScript's stderr is unaffected after. */
export function withNativeStderrSilenced<T>(load: () => T): T {
  // Descriptors 0 and 1 must be taken so that the lowest free descriptor, which open() returns, is 2.
  if (process.env.PARLEY_DEBUG === '1' || process.platform === 'win32' || !isOpen(0) || !isOpen(1)) return load();
  let saved: number;
  try {
    saved = openSync('/dev/fd/2', 'a');
  } catch {
    return load();
  }
  closeSync(2);
  const devNull = openSync('/dev/null', 'a'); // the lowest free descriptor: 2
  try {
    return load();
  } finally {
    if (devNull === 2) {
      closeSync(2);
      const back = openSync(`/dev/fd/${saved}`, 'a'); // 2 again
      if (back !== 2) closeSync(back);
    } else {
      closeSync(devNull); // another thread took descriptor 2 in between; nothing was silenced
    }
    closeSync(saved);
  }
}
