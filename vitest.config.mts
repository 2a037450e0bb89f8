/**
 * The test runner's settings (`npm test` runs vitest through scripts/test.mjs, after the deep-import
 * check and beside the type check). Tests are transpiled only; the type check runs once, separately.
 */
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { ProcessesFirst } from './__tests__/support/processes-first.mts';

const root = dirname(fileURLToPath(import.meta.url));

// `vitest run --mode package` (npm run test:package) runs only the packed-artifact test, which
// installs from the registry and takes minutes; every other run leaves it out.
export default defineConfig(({ mode }) => ({
  resolve: {
    // Examples import the package by name, as a consumer would (tsconfig "paths" does the same for tsc).
    alias: { 'spot-ready-eks': join(root, 'constructs/index.ts') },
  },
  test: {
    globals: true,
    root,
    include: mode === 'package' ? ['__tests__/**/*.package.test.ts'] : ['__tests__/**/*.test.ts'],
    exclude: mode === 'package' ? ['**/node_modules/**'] : ['**/node_modules/**', '**/*.package.test.ts'],
    // The packed-artifact run packs, builds and installs from the registry in its beforeAll.
    testTimeout: mode === 'package' ? 15 * 60_000 : 30_000,
    hookTimeout: mode === 'package' ? 15 * 60_000 : 30_000,
    // Child processes, not threads: tests spawn processes, set process.env and chdir.
    pool: 'forks',
    // A test file's modules stay loaded for the next file in the same worker: the cdktf providers
    // are loaded once per worker, not once per file (that reloading was most of the run's CPU).
    isolate: false,
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: ProcessesFirst },
    setupFiles: ['__tests__/support/suite-cpu.ts', '__tests__/support/cdktf-stack-traces.ts'],
    globalSetup: ['__tests__/support/global-setup.ts'],
  },
}));
