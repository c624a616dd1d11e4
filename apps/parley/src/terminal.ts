// Whether the full-screen terminal app can be drawn here: stdin and stdout must be terminals, CI not set, and the
// terminal able to move the cursor (TERM=dumb cannot: the app would print its escape codes as garbage). Elsewhere
// bare `parley` prints the command list and `parley app` explains, both as plain text.

/** Why the app cannot open here, or undefined when it can. */
export function appUnavailable(): string | undefined {
  if (!process.stdout.isTTY || !process.stdin.isTTY) return 'needs an interactive terminal (stdin and stdout a TTY)';
  if (process.env.CI === 'true') return 'does not open with CI=true';
  if (process.env.TERM === 'dumb') return 'needs a terminal with cursor control (TERM is dumb)';
  return undefined;
}
