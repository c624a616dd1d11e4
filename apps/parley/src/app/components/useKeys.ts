// Ink's useInput, but always calling the handler (and honouring `isActive`) of the latest render.
// useInput re-subscribes in an effect, which React may run after the frame is on screen, so a key
// pressed right then would reach the previous render's handler and see stale state (a lost character,
// an Enter that sends nothing, typing into the field that just lost focus).
import { useCallback, useRef } from 'react';
import { useInput, type Key } from 'ink';

export function useKeys(
  handler: (input: string, key: Key) => void,
  { isActive = true }: { isActive?: boolean } = {},
): void {
  const latest = useRef({ handler, isActive });
  latest.current = { handler, isActive };
  useInput(
    useCallback((input: string, key: Key) => {
      if (latest.current.isActive) latest.current.handler(input, key);
    }, []),
  );
}
