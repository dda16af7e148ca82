#!/usr/bin/env node
// Runs the public conformance suites of the component model against the built host and
// prints counts. Not part of `npm test`: the suites are not ours and are never committed.
//
//   npm run build
//   node scripts/conformance.mjs --mirror /path/to/mirrors      # <owner>+<name>/repo git dirs
//   node scripts/conformance.mjs --repo bytecodealliance/wasmtime=/path/to/wasmtime/.git
//
// Options: --suite <name> (repeatable), --verbose (every result that is not a pass, with
// its reason), --json <file> (all outcomes). Each suite is staged from the snapshot's HEAD
// (`git archive`) into a temporary folder, deleted afterwards. Each script runs in a child
// process, so a component that takes the host down counts as a crash and the run goes on.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('./conformance/', import.meta.url));

/** The suites: where they live in which repository, and which runner reads them. */
const SUITES = [
  { name: 'component-model', repo: 'WebAssembly/component-model', paths: ['test'], runner: 'wast' },
  { name: 'wasmtime', repo: 'bytecodealliance/wasmtime', paths: ['tests/misc_testsuite/component-model'], runner: 'wast' },
  // wasm-tools moved tests/local/component-model to tests/cli/component-model; read either.
  { name: 'wasm-tools', repo: 'bytecodealliance/wasm-tools', paths: ['tests/local/component-model', 'tests/cli/component-model'], runner: 'wast' },
  { name: 'wit-parser', repo: 'bytecodealliance/wasm-tools', paths: ['crates/wit-parser/tests/ui'], runner: 'wit' },
];

const CHILD_TIMEOUT_MS = 120_000;

function parseArgs(argv) {
  const options = { repos: new Map(), suites: [], verbose: false, json: undefined, mirror: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--mirror') options.mirror = argv[++i];
    else if (a === '--repo') {
      const [name, dir] = argv[++i].split('=');
      options.repos.set(name, dir);
    } else if (a === '--suite') options.suites.push(argv[++i]);
    else if (a === '--verbose') options.verbose = true;
    else if (a === '--json') options.json = argv[++i];
    else throw new Error(`unknown option ${a}`);
  }
  return options;
}

function gitDirOf(options, repo) {
  if (options.repos.has(repo)) return options.repos.get(repo);
  if (options.mirror) {
    const dir = join(options.mirror, repo.replace('/', '+'), 'repo');
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

/** Extracts `paths` of the snapshot's HEAD into `into`; returns the paths that existed. */
function stage(gitDir, paths, into) {
  const present = paths.filter((p) => {
    try {
      return execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '--name-only', 'HEAD', p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    } catch {
      return false;
    }
  });
  if (present.length === 0) return [];
  const tar = execFileSync('git', ['--git-dir', gitDir, 'archive', '--format=tar', 'HEAD', '--', ...present], {
    maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'], // partial mirrors warn about blobs outside `paths`
  });
  execFileSync('tar', ['-x', '-C', into], { input: tar });
  return present;
}

async function wastFiles(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.wast')) out.push(join(e.parentPath ?? e.path, e.name));
  }
  return out.sort();
}

/**
 * Runs a child script over one input, restarting it after the command that was running
 * when it died or stalled; that command counts as a crash.
 */
async function runChild(script, input) {
  const outcomes = [];
  let from = 0;
  for (;;) {
    const { lines, exit } = await spawnChild(script, input, from);
    let started = -1;
    for (const line of lines) {
      const o = JSON.parse(line);
      if ('start' in o) started = o.start;
      else {
        outcomes.push(o);
        started = -1;
      }
    }
    if (exit.ok) return outcomes;
    if (started < 0) {
      outcomes.push({ i: from, kind: 'script', result: 'crash', detail: `runner died outside a command: ${exit.why}` });
      return outcomes;
    }
    outcomes.push({ i: started, kind: 'load', result: 'crash', detail: `the host died: ${exit.why}` });
    from = started + 1;
  }
}

function spawnChild(script, input, from) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=2048', '--stack-size=984', join(here, script), input, String(from)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timedOut = false;
    let timer;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, CHILD_TIMEOUT_MS);
    };
    arm();
    child.stdout.on('data', (d) => { out += d; arm(); });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ok = code === 0 && !timedOut;
      const why = timedOut ? `no progress for ${CHILD_TIMEOUT_MS / 1000} s` : signal ? `signal ${signal}` : `exit code ${code}: ${err.trim().split('\n').slice(-3).join(' | ').slice(0, 300)}`;
      resolve({ lines: out.split('\n').filter((l) => l.trim() !== ''), exit: { ok, why } });
    });
  });
}

function tally(outcomes) {
  const counts = new Map();
  for (const o of outcomes) {
    const row = counts.get(o.kind) ?? {};
    row[o.result] = (row[o.result] ?? 0) + 1;
    counts.set(o.kind, row);
  }
  return counts;
}

const RESULTS = ['pass', 'fail', 'unsupported', 'other', 'crash', 'skip'];

function printTable(suite, counts) {
  console.log(`\n${suite}`);
  console.log(`  ${'kind'.padEnd(12)}${RESULTS.map((r) => r.padStart(12)).join('')}`);
  for (const [kind, row] of [...counts].sort()) {
    console.log(`  ${kind.padEnd(12)}${RESULTS.map((r) => String(row[r] ?? 0).padStart(12)).join('')}`);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(fileURLToPath(new URL('../dist/host/component/instantiate.js', import.meta.url)))) {
    throw new Error('build first: npm run build');
  }
  const all = {};
  const temp = await mkdtemp(join(tmpdir(), 'plugin-actors-conformance-'));
  try {
    for (const suite of SUITES) {
      if (options.suites.length > 0 && !options.suites.includes(suite.name)) continue;
      const gitDir = gitDirOf(options, suite.repo);
      if (!gitDir) {
        console.log(`\n${suite.name}: no snapshot of ${suite.repo} given (--mirror or --repo ${suite.repo}=<git dir>)`);
        continue;
      }
      const into = join(temp, suite.name);
      execFileSync('mkdir', ['-p', into]);
      const present = stage(gitDir, suite.paths, into);
      if (present.length === 0) {
        console.log(`\n${suite.name}: none of ${suite.paths.join(', ')} in the snapshot`);
        continue;
      }
      const commit = execFileSync('git', ['--git-dir', gitDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
      const outcomes = [];
      if (suite.runner === 'wit') {
        for (const p of present) outcomes.push(...(await runChild('wit-ui.mjs', join(into, p))).map((o) => ({ file: o.name ?? p, ...o })));
      } else {
        for (const p of present) {
          for (const file of await wastFiles(join(into, p))) {
            const name = relative(into, file);
            outcomes.push(...(await runChild('run-file.mjs', file)).map((o) => ({ file: name, ...o })));
          }
        }
      }
      all[suite.name] = { commit, outcomes };
      printTable(`${suite.name} (${suite.repo} ${commit.slice(0, 12)}, ${present.join(', ')})`, tally(outcomes));
      if (options.verbose) {
        for (const o of outcomes) if (o.result !== 'pass') console.log(`    ${o.result.padEnd(11)} ${o.kind.padEnd(10)} ${o.file}#${o.i}: ${o.detail ?? ''}`);
      }
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  if (options.json) await writeFile(options.json, JSON.stringify(all, null, 1));
}

await main();
