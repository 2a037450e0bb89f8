#!/usr/bin/env node
// `npm test`: the deep-import check, then the type check and every vitest suite AT THE SAME TIME
// (the type check fills a core while the e2e and daemon suites wait on their child processes),
// then one line with the wall time of each part. Exit code: the first failure's. Arguments go to
// `vitest run` (a path filter, -t <name>, --maxWorkers=1, ...).
//   npm test [-- <vitest args>]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const imports = spawnSync(process.execPath, [join(root, 'scripts/check-deep-imports.mjs')], { cwd: root, stdio: 'inherit' });
if (imports.status !== 0) process.exit(imports.status ?? 1);

/** Runs a node script; resolves with its exit code and wall time. `quiet` buffers its output until it ends. */
function run(name, args, quiet) {
  const start = Date.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ name, code: code ?? 1, ms: Date.now() - start, output })));
}

// tsc's incremental state lives in the OS temp folder, per checkout: a second run checks only what changed.
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const buildInfo = join(require('node:os').tmpdir(), `tsc-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.tsbuildinfo`);
const vitestBin = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const [typecheck, tests] = await Promise.all([
  run('type check', [tsc, '--noEmit', '--incremental', '--tsBuildInfoFile', buildInfo, '-p', 'tsconfig.json'], true),
  run('vitest', [vitestBin, 'run', ...process.argv.slice(2)], false),
]);
if (typecheck.output.trim()) process.stdout.write(typecheck.output);
const failed = [typecheck, tests].filter((r) => r.code !== 0);
console.log(`npm test: ${seconds(Date.now() - started)} wall (type check ${seconds(typecheck.ms)}${typecheck.code ? ' FAILED' : ''}, tests ${seconds(tests.ms)}${tests.code ? ' FAILED' : ''}) — target ≤ 30 s on 2 cores`);
process.exitCode = failed[0]?.code ?? 0;
