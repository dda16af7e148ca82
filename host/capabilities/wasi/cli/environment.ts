/**
 * `wasi:cli/environment`: exactly the variables, arguments and working directory the
 * grants name, never the host's own. Ungranted, a plugin sees an empty environment, no
 * arguments and no working directory.
 */
export interface EnvironmentGrant {
  readonly env?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  readonly cwd?: string;
}

export function environmentInterface(grant: EnvironmentGrant) {
  const env = Object.entries(grant.env ?? {});
  const args = [...(grant.args ?? [])];
  return {
    getEnvironment: (): [string, string][] => env.map(([k, v]) => [k, v]),
    getArguments: (): string[] => [...args],
    initialCwd: (): string | undefined => grant.cwd,
  };
}
