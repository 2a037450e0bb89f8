/** Transpile-only tests (@swc/jest); the type check runs once, separately (`npm run typecheck`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The packed-artifact test installs from the registry and takes minutes: `npm run test:package`.
  testPathIgnorePatterns: ['/node_modules/', '\\.package\\.test\\.ts$'],
  // Examples import the package by name, as a consumer would (tsconfig "paths" does the same for tsc).
  moduleNameMapper: { '^spot-ready-eks$': '<rootDir>/constructs/index.ts' },
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  testTimeout: 30000,
  // Per-file worker CPU for `npm run test:profile` (a no-op otherwise); cdktf token traces not formatted.
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/suite-cpu.ts', '<rootDir>/__tests__/support/cdktf-stack-traces.ts'],
  // One synth per distinct platform config for the whole run, shared by all files (support/synth-cache.ts).
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  // Sized to the machine: one worker per core plus one. The slowest suites (e2e, daemon, drain,
  // redrive CLI) spend most of their wall time waiting on child processes and timers
  // (`npm run test:profile`: per-file wall ≫ CPU), so one more worker keeps the cores busy.
  maxWorkers: require('node:os').availableParallelism() + 1,
};
