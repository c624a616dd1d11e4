// Types of build.mjs's exports for the TypeScript that imports them (test/install.test.ts): the one list of
// workspaces in build order.

/** Every workspace, each after the workspaces it depends on. */
export const WORKSPACES: readonly string[];
/** Compiles one workspace to its dist/ and checks its dependencies. */
export function build(ws: string): void;
