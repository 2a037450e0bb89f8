#!/usr/bin/env node
// Where `npm test`'s time goes: runs jest once (arguments pass through, e.g. a path or
// --maxWorkers=1) and prints per test file its wall time (jest --json) and the CPU its worker spent
// (__tests__/support/suite-cpu.ts), slowest first, with the totals. Prints; asserts nothing.
//   npm run test:profile [-- jest args]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const work = mkdtempSync(join(tmpdir(), 'test-profile-'));
const [json, cpuLog] = [join(work, 'jest.json'), join(work, 'cpu.jsonl')];
const started = Date.now();
const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '--json', `--outputFile=${json}`, ...process.argv.slice(2)], {
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
  console.log(`jest wall ${(wallMs / 1000).toFixed(1)} s; per-file sums: wall ${(sum('wallMs') / 1000).toFixed(1)} s, worker CPU ${(sum('cpuMs') / 1000).toFixed(1)} s; ${rows.length} files, ${results.numTotalTests} tests, ${results.numFailedTests} failed`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = jest.status ?? 1;
