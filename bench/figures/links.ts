/**
 * Links (docs/linking.md): a front plugin calling a store plugin through a linked import,
 * against the same chain wired by hand in application code (the import given as host
 * functions that call the store's proxy), for every pairing; and an inline front calling an
 * inline store against the host calling the store directly. The plugins are the links test
 * fixture (test/fixtures/links), built by `npm run bench`.
 */
import { ActorSystem, type PluginSpec } from '../../host/index.js';
import { comparePerCall, figure, type Figure, type Measured } from '../measure.js';
import { quietLogger, repo } from '../paths.js';

const STORE = 'test:links/store';
const FRONT = 'test:links/front';
type Kind = 'inline' | 'worker' | 'process';
type Add = (a: number, b: number) => Promise<number>;

function store(name: string, kind: Kind): PluginSpec {
  if (kind === 'process') return { name, command: [process.execPath, repo('test/fixtures/links/node-plugin.mjs'), 'store'] };
  return { name, wasm: repo('test/fixtures/links/assemblyscript/store/build/store.wasm'), isolation: kind };
}

function front(name: string, kind: Kind, imports: Record<string, unknown>): PluginSpec {
  if (kind === 'process') return { name, command: [process.execPath, repo('test/fixtures/links/node-plugin.mjs'), 'front'], imports };
  return { name, wasm: repo('test/fixtures/links/assemblyscript/front/build/front.wasm'), isolation: kind, imports };
}

/** The store interface as application code would wire it: each function calls `target`. */
function handWired(target: Record<string, (...a: unknown[]) => unknown>): Record<string, unknown> {
  return {
    add: (a: number, b: number) => target.add!(a, b),
    get: (k: string) => target.get!(k),
    set: (k: string, v: string) => target.set!(k, v),
    fail: (d: number, h: string) => target.fail!(d, h),
    open: (n: string) => target.open!(n),
    Bucket: class { constructor() { throw new Error('not wired'); } },
  };
}

const PAIRINGS: [Kind, Kind][] = [
  ['inline', 'inline'], ['worker', 'inline'], ['worker', 'worker'], ['worker', 'process'],
  ['process', 'inline'], ['process', 'worker'], ['process', 'process'],
];

export async function linkFigures(): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const [frontKind, storeKind] of PAIRINGS) {
    const system = new ActorSystem({ logger: quietLogger });
    try {
      const kv = (await system.load(store('kv', storeKind))).exports(STORE);
      const linked = (await system.load(front('linked', frontKind, { [STORE]: kv }))).exports<{ add: Add }>(FRONT);
      const target = (frontKind === 'inline' ? system.sync(kv) : kv) as Record<string, (...a: unknown[]) => unknown>;
      const wired = (await system.load(front('wired', frontKind, { [STORE]: handWired(target) }))).exports<{ add: Add }>(FRONT);
      const n = frontKind === 'inline' ? 20_000 : frontKind === 'worker' && storeKind !== 'process' ? 3000 : 1000;
      const unit = frontKind === 'inline' ? 'ns/call' : 'µs/call';
      const scale = (m: Measured) => (frontKind === 'inline' ? m : { ...m, value: m.value / 1000, baseline: m.baseline / 1000 });
      out.push(figure(`link ${frontKind} → ${storeKind}: front.add(1, 2)`, unit, scale(await comparePerCall({ n },
        async () => { for (let i = 0; i < n; i++) await wired.add(1, 2); },
        async () => { for (let i = 0; i < n; i++) await linked.add(1, 2); })), '≤ 1.1× wired by hand'));
      if (frontKind === 'inline' && storeKind === 'inline') {
        const linkedSync = system.sync(linked);
        const direct = system.sync(kv) as unknown as { add(a: number, b: number): number };
        out.push(figure('link inline → inline, sync twins: front.add(1, 2)', 'ns/call', await comparePerCall({ n: 50_000 },
          () => { for (let i = 0; i < 50_000; i++) direct.add(1, 2); },
          () => { for (let i = 0; i < 50_000; i++) linkedSync.add(1, 2); }), '≤ 1.5× the host calling the store'));
        // A string crosses through JavaScript (lifted and lowered again): no target, shown for scale.
        const store = system.sync(kv) as unknown as { set(k: string, v: string): void; get(k: string): string | undefined };
        const front = linkedSync as unknown as { fetch(k: string): string | undefined };
        store.set('key', 'value');
        out.push(figure('link inline → inline, sync twins: front.fetch("key") (a string, through JavaScript)', 'ns/call', await comparePerCall({ n: 20_000 },
          () => { for (let i = 0; i < 20_000; i++) store.get('key'); },
          () => { for (let i = 0; i < 20_000; i++) front.fetch('key'); }), 'for scale'));
      }
    } finally {
      await system.close();
    }
  }
  return out;
}
