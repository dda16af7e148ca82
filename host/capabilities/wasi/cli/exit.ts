/**
 * `wasi:cli/exit`: always provided, and it never exits the host. The call unwinds the
 * guest's stack with a `WasiExit`, which the transports turn into the end of the plugin's
 * node (`ERR_PLUGIN_EXITED` with the exit code).
 */

/** Thrown by `wasi:cli/exit` through the guest's stack. */
export class WasiExit extends Error {
  constructor(readonly code: number) {
    super(`the plugin called exit(${code})`);
  }
}

export const exitInterface = {
  exit(status: { tag: 'ok' | 'err' }): never {
    throw new WasiExit(status.tag === 'err' ? 1 : 0);
  },
  exitWithCode(code: number): never {
    throw new WasiExit(code);
  },
};
