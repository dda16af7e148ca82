/** The worker's entry script (see `entry-script.ts` for where it lives). */
import { entryScript } from '../../entry-script.js';

export function workerScript(): string {
  const script = entryScript('worker-entry.js', 'host/transports/worker/worker-entry.js');
  if (!script) throw new Error('plugin-actors: run `npm run build` first (the worker transport runs compiled JavaScript)');
  return script;
}
