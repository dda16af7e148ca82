// The architecture as rules on the import graph of the sources, so it holds as the code
// changes (docs/architecture.md): dependencies point down, no cycles between folders, and
// the transports and the Node guest SDK reach the wire only through the one peer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers.js';

const repo = root('');
const SOURCE_ROOTS = ['common', 'host', 'guest-sdk/node', 'guest-sdk/build', 'guest-sdk/codegen', 'cli'];

function sources(dir: string): string[] {
  return readdirSync(join(repo, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(repo, path)).isDirectory()) return name === 'assemblyscript' && dir.startsWith('guest-sdk') ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Edge { from: string; to: string; names: string[] }

/** Every relative import of a file (static, re-exports, dynamic), resolved to a repository path. */
function importsOf(file: string): Edge[] {
  const text = readFileSync(join(repo, file), 'utf8');
  const edges: Edge[] = [];
  const patterns = [
    /(?:import|export)\s+(type\s+)?(\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+(?:\s*,\s*\{[^}]*\})?)\s+from\s+'([^']+)'/g,
    /import\(\s*'([^']+)'\s*\)/g,
  ];
  for (const m of text.matchAll(patterns[0]!)) {
    const spec = m[3]!;
    if (!spec.startsWith('.')) continue;
    const names = (m[2]!.match(/\{([^}]*)\}/)?.[1] ?? '').split(',').map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!).filter(Boolean);
    edges.push({ from: file, to: target(file, spec), names });
  }
  for (const m of text.matchAll(patterns[1]!)) {
    if (m[1]!.startsWith('.')) edges.push({ from: file, to: target(file, m[1]!), names: ['*'] });
  }
  return edges;
}

function target(file: string, spec: string): string {
  return relative(repo, resolve(repo, dirname(file), spec)).replace(/\.js$/, '.ts');
}

const files = SOURCE_ROOTS.flatMap(sources);
const edges = files.flatMap(importsOf);
const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

describe('the import graph', () => {
  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(90);
    expect(edges.length).toBeGreaterThan(300);
  });

  it.each([
    ['common', ['host', 'guest-sdk', 'cli']],
    ['guest-sdk', ['host', 'cli']],
    ['host', ['cli', 'guest-sdk']],
  ])('nothing in %s imports from %s', (from, forbidden) => {
    const bad = edges.filter((e) => inside(e.from, from) && forbidden.some((f) => inside(e.to, f)));
    expect(bad.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('the core (host/system) knows no transport, no component runtime, no capability', () => {
    const bad = edges.filter((e) => inside(e.from, 'host/system') && ['host/transports', 'host/component', 'host/capabilities'].some((f) => inside(e.to, f)));
    expect(bad.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('transports import the core only through its contract', () => {
    const allowed = new Set(['host/system/node-connection.ts']);
    const bad = edges.filter((e) => inside(e.from, 'host/transports') && inside(e.to, 'host/system') && !allowed.has(e.to));
    expect(bad.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('has no import cycles between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) {
      const a = dirname(e.from);
      const b = dirname(e.to);
      // A folder's entry files and its subfolders are one unit: `common/x.ts` may use `common/wit/`.
      if (a === b || inside(a, b) || inside(b, a)) continue;
      if (!graph.has(a)) graph.set(a, new Set());
      graph.get(a)!.add(b);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (n: string, path: string[]) => {
      if (state.get(n) === 'done') return;
      if (state.get(n) === 'visiting') { cycles.push([...path.slice(path.indexOf(n)), n].join(' → ')); return; }
      state.set(n, 'visiting');
      for (const m of graph.get(n) ?? []) visit(m, [...path, n]);
      state.set(n, 'done');
    };
    for (const n of graph.keys()) visit(n, []);
    expect(cycles).toEqual([]);
  });

  it('the process and worker transports and the Node guest SDK reach the wire only through the one peer', () => {
    const builders = new Set(['beginMessage', 'errorFrame', 'jsonFrame', 'simpleFrame', 'logFrame', 'decodeMessage']);
    const wire = edges.filter((e) => (e.to === 'common/protocol/messages.ts' && e.names.some((n) => builders.has(n) || n === '*'))
      || e.to === 'common/protocol/frames.ts');
    const allowed = (f: string) => inside(f, 'common/protocol/peer') || f === 'common/protocol/stream-channel.ts' || f === 'common/protocol/messages.ts';
    expect(wire.filter((e) => !allowed(e.from)).map((e) => `${e.from} → ${e.to} (${e.names.join(', ')})`)).toEqual([]);
    // And each of them does use the peer.
    for (const user of ['host/transports/process/process-node.ts', 'host/transports/worker/connection.ts', 'host/transports/worker/worker-entry.ts', 'guest-sdk/node/serve.ts', 'host/transports/nats/nats-node.ts', 'host/remote/runner-session.ts']) {
      expect(edges.some((e) => e.from === user && e.to === 'common/protocol/peer/peer.ts'), user).toBe(true);
    }
  });
});
