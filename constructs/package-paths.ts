import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'spot-ready-eks';

/**
 * The root of this package, found from this file (never from `process.cwd()`), so the Lambda and
 * daemon sources are found whether we run from the repository, from `dist/`, or from a consumer's
 * `node_modules/spot-ready-eks`.
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${from}`);
  }
}

/** A path inside this package, e.g. `packagePath('lambda', 'termination-handler', 'index.ts')`. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}
