/**
 * `npm run bench`: every figure beside its raw baseline from the same run, as a table and
 * as bench/results.json ({ name, value, unit, baseline, ratio, spread }) when every group ran.
 * `node dist/bench/run.js <group>…` runs some groups only.
 */
import { writeFile } from 'node:fs/promises';
import { coldStartFigures } from './figures/cold-start.js';
import { fuelFigures } from './figures/fuel.js';
import { inlineFigures } from './figures/inline.js';
import { linkFigures } from './figures/links.js';
import { poolFigures } from './figures/pool.js';
import { processFigures } from './figures/process.js';
import { remoteFigures } from './figures/remote.js';
import { startupFigures } from './figures/startup.js';
import { workerFigures } from './figures/worker.js';
import type { Figure } from './measure.js';
import { repo } from './paths.js';

const groups: [string, () => Promise<Figure[]>][] = [
  ['inline', inlineFigures],
  ['fuel', fuelFigures],
  ['worker', workerFigures],
  ['process', processFigures],
  ['pool', poolFigures],
  ['links', linkFigures],
  ['remote', remoteFigures],
  ['startup', startupFigures],
  ['cold-start', coldStartFigures],
];

const only = process.argv.slice(2);
const results: Figure[] = [];
for (const [name, run] of groups) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`measuring ${name}…\n`);
  results.push(...(await run()));
}

const rows = results.map((r) => [r.name, `${r.value} ${r.unit}`, `${r.baseline} ${r.unit}`, `${r.ratio}×`, r.spread ? `${r.spread[0]}–${r.spread[1]}` : '', r.target ?? '']);
const head = ['figure', 'plugin-actors', 'baseline', 'ratio', 'spread (IQR)', 'target'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
// A partial run (some groups only) prints its table but leaves the full run's results alone.
if (only.length === 0) await writeFile(repo('bench/results.json'), `${JSON.stringify(results.map(({ target: _t, ...r }) => r), null, 2)}\n`);
