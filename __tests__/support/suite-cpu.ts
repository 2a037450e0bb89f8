/**
 * Test setup file: with SUITE_CPU_LOG=<file> set (`npm run test:profile` sets it), appends
 * one JSON line per test file — its path and the worker CPU (user + system ms) spent from here
 * (before the test file's own imports) to its last afterAll. Without the variable it does nothing.
 */
import { appendFileSync } from 'node:fs';

const log = process.env.SUITE_CPU_LOG;
if (log) {
  const start = process.cpuUsage();
  const heap = process.memoryUsage().heapUsed;
  afterAll(() => {
    const { user, system } = process.cpuUsage(start);
    const file = expect.getState().testPath ?? 'unknown';
    appendFileSync(log, `${JSON.stringify({ file, cpuMs: Math.round((user + system) / 1000), heapMiB: Math.round((process.memoryUsage().heapUsed - heap) / 2 ** 20) })}\n`);
  });
}
