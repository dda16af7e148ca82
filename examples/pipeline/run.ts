// The pipeline example (docs/linking.md): a wasm plugin with no filesystem and no network
// keeps notes through a key-value capability that a subprocess plugin implements. The wasm
// plugin's `example:pipeline/kv` import is linked to the kv plugin's export; the wasm runs in
// a worker, since its guest waits for an asynchronous target.
//
//   npm run build && node dist/cli/main.js build examples/pipeline/assemblyscript && node dist/examples/pipeline/run.js
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ActorSystem, type Remote } from 'plugin-actors';

interface Notes {
  save(title: string, body: string): number;
  read(title: string): string | undefined;
  titles(): string[];
}

/** Starts the pipeline with its store in `kvFile`. */
export async function startPipeline(system: ActorSystem, kvFile: string): Promise<Remote<Notes>> {
  const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
  const kv = await system.load({
    name: 'kv',
    // The compiled plugin sits beside this file in dist/; from the sources (vitest) it is found there too.
    command: [process.execPath, here(import.meta.url.endsWith('.ts') ? '../../dist/examples/pipeline/kv/plugin.js' : './kv/plugin.js')],
    env: { KV_FILE: kvFile },
    restart: { policy: 'permanent', waitForRestart: true },
  });
  const notes = await system.load({
    name: 'notes',
    wasm: here(import.meta.url.endsWith('.ts') ? './assemblyscript/build/notes.wasm' : '../../../examples/pipeline/assemblyscript/build/notes.wasm'),
    isolation: 'worker',
    // No grants: the guest can reach nothing but this link.
    imports: { 'example:pipeline/kv': kv.exports('example:pipeline/kv') },
  });
  return notes.exports<Notes>('example:pipeline/notes');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await using system = new ActorSystem();
  const file = join(await mkdtemp(join(tmpdir(), 'pipeline-')), 'kv.json');
  const notes = await startPipeline(system, file);
  console.log('notes:', await notes.save('groceries', 'oats, lemons'), await notes.save('todo', 'link plugins'));
  console.log('read:', await notes.read('todo'));
  console.log('titles:', await notes.titles());
  console.log('on disk, written by the kv plugin:', await readFile(file, 'utf8'));
}
