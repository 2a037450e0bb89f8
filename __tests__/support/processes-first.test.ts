import { join } from 'node:path';
import type { TestSpecification } from 'vitest/node';
import { ProcessesFirst, startsProcesses } from './processes-first.mjs';

const tests = join(__dirname, '..');
const spec = (file: string) => ({ moduleId: join(tests, file), project: { name: '', config: { sequence: { groupOrder: 0 }, isolate: false } } }) as unknown as TestSpecification;
/** vitest's cache with nothing recorded: its own order keeps the given order. */
const ctx = { config: { root: tests }, cache: { getFileTestResults: () => undefined, getFileStats: () => undefined } };

describe('ProcessesFirst', () => {
  it('recognises the files that start the daemon, the Lambda runtime or a CLI', () => {
    expect(startsProcesses(join(tests, 'node-manager/cancel.test.ts'))).toBe(true);
    expect(startsProcesses(join(tests, 'e2e/wave-crash.test.ts'))).toBe(true);
    expect(startsProcesses(join(tests, 'operations/redrive-cli.test.ts'))).toBe(true);
    expect(startsProcesses(join(tests, 'tokens.test.ts'))).toBe(false);
    expect(startsProcesses(join(tests, 'lambda/config.test.ts'))).toBe(false);
  });

  it('starts those files first and keeps the order within each group', async () => {
    const files = ['tokens.test.ts', 'node-manager/cancel.test.ts', 'lambda/config.test.ts', 'e2e/wave-crash.test.ts'].map(spec);
    const sorted = await new ProcessesFirst(ctx as never).sort(files);
    expect(sorted.map((f) => f.moduleId.slice(tests.length + 1))).toEqual(['node-manager/cancel.test.ts', 'e2e/wave-crash.test.ts', 'tokens.test.ts', 'lambda/config.test.ts']);
  });
});
