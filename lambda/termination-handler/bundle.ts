/**
 * Bundles the handler into one CommonJS file for the nodejs22.x runtime with esbuild. The AWS SDK is
 * bundled too (nothing external), so the versions running in Lambda are the ones our lockfile pins,
 * not whatever SDK the runtime happens to ship.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface TerminationHandlerBundle {
  /** Absolute path of the bundled `index.js` (its source map sits beside it). */
  readonly file: string;
  readonly bytes: number;
}

export async function bundleTerminationHandler(outDir: string): Promise<TerminationHandlerBundle> {
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, 'index.js');
  await build({
    entryPoints: [join(__dirname, 'index.ts')], // resolved from this file, never from process.cwd()
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: true,
    sourcesContent: false, // stack traces still map to our files and lines; the map shrinks ~4x
    external: [],
    // Prefer the packages' ES module builds: esbuild can then drop the SDK commands we never send
    // (≈1.5 MB instead of ≈2.2 MB minified for the EC2 client alone).
    mainFields: ['module', 'main'],
    legalComments: 'none',
    logLevel: 'silent',
  });
  return { file, bytes: (await stat(file)).size };
}
