/**
 * Bundles the node-manager daemon into one CommonJS file with esbuild — the only file the
 * container image ships. The Dockerfile and the tests call this same function, so what is tested
 * is what is shipped.
 *
 *   npx tsx images/node-manager/build.ts [outfile]     # default dist/node-manager/main.js
 */
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { join } from 'node:path';

/** Resolved from this file, never from the working directory. */
export const NODE_MANAGER_ENTRY = join(__dirname, 'src', 'main.ts');
export const DEFAULT_OUTFILE = join(__dirname, '..', '..', 'dist', 'node-manager', 'main.js');

export async function bundleNodeManager(outfile: string = DEFAULT_OUTFILE): Promise<{ outfile: string; bytes: number }> {
  const result = await build({
    entryPoints: [NODE_MANAGER_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    keepNames: true, // error names (ImdsError, TooManyRequestsException) appear in logs
    legalComments: 'none',
    logLevel: 'silent',
  });
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('\n'));
  return { outfile, bytes: statSync(outfile).size };
}

if (require.main === module) {
  bundleNodeManager(process.argv[2]).then(
    ({ outfile, bytes }) => console.log(`bundled node-manager → ${outfile} (${(bytes / 1024).toFixed(0)} KiB)`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
