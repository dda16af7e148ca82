// The pipeline example: a wasm plugin without filesystem or network keeps notes through the
// kv capability a subprocess plugin implements (a link), across a crash of that plugin.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem } from 'plugin-actors';
import { startPipeline } from './run.js';

const system = new ActorSystem({ logger: { debug() {}, info() {}, warn() {}, error() {} } });
let dir: string;
let notes: Awaited<ReturnType<typeof startPipeline>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipeline-test-'));
  notes = await startPipeline(system, join(dir, 'kv.json'));
});
afterAll(async () => {
  await system.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the notes pipeline', () => {
  it('keeps notes in the kv plugin\'s file', async () => {
    expect(await notes.save('groceries', 'oats, lemons')).toBe(1);
    expect(await notes.save('todo', 'link plugins')).toBe(2);
    expect(await notes.read('todo')).toBe('link plugins');
    expect(await notes.read('nothing')).toBeUndefined();
    expect(await notes.titles()).toEqual(['groceries', 'todo']);
    expect(JSON.parse(await readFile(join(dir, 'kv.json'), 'utf8'))).toEqual({ 'note:groceries': 'oats, lemons', 'note:todo': 'link plugins' });
  });

  it('the wasm plugin has no filesystem of its own: it was granted nothing', async () => {
    expect(system.plugin('notes')!.state).toBe('running');
    // Its only way out is the link; the kv plugin restarting under it changes nothing it sees.
    system.plugin('kv')!.kill();
    expect(await notes.read('groceries')).toBe('oats, lemons');
    expect(system.plugin('kv')!.incarnation).toBe(2);
  });
});
