// Ink's useInput, but always calling the handler of the latest render. useInput re-subscribes in an
// effect, which React may run after the frame is on screen, so a key pressed right then would reach the
// previous render's handler and see stale state (a lost character, an Enter that sends nothing).
import { useCallback, useRef } from 'react';
import { useInput, type Key } from 'ink';

export function useKeys(handler: (input: string, key: Key) => void, options: { isActive?: boolean } = {}): void {
  const latest = useRef(handler);
  latest.current = handler;
  useInput(useCallback((input: string, key: Key) => latest.current(input, key), []), options);
}
