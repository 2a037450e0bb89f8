#!/usr/bin/env node
// Where `npm test`'s time goes: runs vitest once (arguments pass through, e.g. a path or
// --maxWorkers=1) and prints per test file its wall time (vitest's JSON report) and the CPU its
// worker spent (__tests__/support/suite-cpu.ts), slowest first, with the totals and the CPU of the
// whole process tree (workers, the processes tests start, vitest itself). Prints; asserts nothing.
// Workers keep modules loaded between files, so a worker's first file also pays for loading them.
//   npm run test:profile [-- vitest args]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const work = mkdtempSync(join(tmpdir(), 'test-profile-'));
const [json, cpuLog] = [join(work, 'report.json'), join(work, 'cpu.jsonl')];
const started = Date.now();
const run = spawnSync(process.execPath, [vitest, 'run', '--reporter=json', `--outputFile=${json}`, ...process.argv.slice(2)], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, SUITE_CPU_LOG: cpuLog },
});
const wallMs = Date.now() - started;
try {
  const results = JSON.parse(readFileSync(json, 'utf8'));
  const cpu = new Map(readFileSync(cpuLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.file, r]));
  const rows = results.testResults
    .map((t) => ({ file: relative(process.cwd(), t.name), wallMs: t.endTime - t.startTime, cpuMs: cpu.get(t.name)?.cpuMs ?? NaN, status: t.status }))
    .sort((a, b) => b.wallMs - a.wallMs);
  const sum = (k) => rows.reduce((s, r) => s + (Number.isNaN(r[k]) ? 0 : r[k]), 0);
  console.log(`${'wall s'.padStart(7)} ${'cpu s'.padStart(6)}  file`);
  for (const r of rows) console.log(`${(r.wallMs / 1000).toFixed(1).padStart(7)} ${(r.cpuMs / 1000).toFixed(1).padStart(6)}  ${r.file}${r.status === 'passed' ? '' : ` (${r.status})`}`);
  const treeCpuS = childrenCpuSeconds();
  console.log(`vitest wall ${(wallMs / 1000).toFixed(1)} s; per-file sums: wall ${(sum('wallMs') / 1000).toFixed(1)} s, worker CPU ${(sum('cpuMs') / 1000).toFixed(1)} s; whole process tree CPU ${treeCpuS.toFixed(1)} s; ${rows.length} files, ${results.numTotalTests} tests, ${results.numFailedTests} failed`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = run.status ?? 1;

/** User + system CPU of every descendant that has been waited for (all of them, once vitest has exited), from /proc on Linux (100 ticks a second); NaN elsewhere. */
function childrenCpuSeconds() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]); // cutime + cstime (fields 16, 17 of stat)
    return ticks / 100;
  } catch {
    return NaN;
  }
}
