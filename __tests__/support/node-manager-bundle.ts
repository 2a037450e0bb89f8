/**
 * The daemon the tests run: the shipped two-file bundle (main.js, and drain.js beside it, loaded on
 * the first drain), built once by the run's global setup and named to the workers in the environment.
 */
export const NODE_MANAGER_BUNDLE_ENV = 'NODE_MANAGER_TEST_BUNDLE';

/** main.js of the daemon bundle the test run's global setup built. */
export function nodeManagerBundle(): string {
  const file = process.env[NODE_MANAGER_BUNDLE_ENV];
  if (!file) {
    throw new Error(
      `${NODE_MANAGER_BUNDLE_ENV} is not set: the node-manager bundle is built by the test run's global setup ` +
        '(__tests__/support/global-setup.ts). Run the tests through vitest (npm test, npx vitest run <file>).',
    );
  }
  return file;
}
