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
  // Several suites mostly wait on child processes and timers (e2e, daemon): overlap them.
  maxWorkers: 3,
};
