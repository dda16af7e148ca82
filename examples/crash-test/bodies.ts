// The bodies of the crash tests, as a Node plugin: some pass, some fail, some take their
// process down in ways that would kill a test runner that ran them in its own process.
import { serve, ResultError } from 'plugin-actors/guest';

const bodies: Record<string, () => string | Promise<string>> = {
  adds: () => String(1 + 1),
  rejects: () => { throw new ResultError('the body said no'); },
  exits: () => process.exit(3),
  aborts: () => process.abort(),
  overflows: () => { const deep = (n: number): number => deep(n + 1) + 1; return String(deep(0)); },
  hangs: () => new Promise<string>(() => {}),
};

await serve({
  wit: new URL('./wit', import.meta.url),
  exports: {
    'example:crash-test/bodies': {
      run: (name: string) => {
        const body = bodies[name];
        if (!body) throw new ResultError(`no body named ${name}`);
        return body();
      },
    },
  },
});
