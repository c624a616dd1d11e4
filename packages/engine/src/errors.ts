// The one way to turn a thrown value into its message. It lives in @parley/engine, the lowest Parley package every
// other one (text, decode, core, the app) already depends on, so no package keeps its own copy. It is also exported
// as `@parley/engine/errors`, which loads no TensorFlow.js, for code that must start fast (the CLI's error path,
// the app's screens).

/** The message of any thrown value: an Error's message, anything else as a string. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
