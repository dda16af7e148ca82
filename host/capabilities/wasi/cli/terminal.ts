/**
 * `wasi:cli/terminal-*`: a plugin's standard streams are never a terminal (they are the
 * host's logger or nothing), so every `get-terminal-*` says none. The resource types exist
 * because the interfaces declare them; no instance is ever created.
 */

/** `wasi:cli/terminal-input.terminal-input` (never handed out). */
export class TerminalInput {
  private constructor() {}
}

/** `wasi:cli/terminal-output.terminal-output` (never handed out). */
export class TerminalOutput {
  private constructor() {}
}

export const terminalInterfaces = {
  'wasi:cli/terminal-input': { TerminalInput },
  'wasi:cli/terminal-output': { TerminalOutput },
  'wasi:cli/terminal-stdin': { getTerminalStdin: (): undefined => undefined },
  'wasi:cli/terminal-stdout': { getTerminalStdout: (): undefined => undefined },
  'wasi:cli/terminal-stderr': { getTerminalStderr: (): undefined => undefined },
};
