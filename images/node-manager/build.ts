/**
 * Bundles the node-manager daemon with esbuild into the two files the container image ships:
 * `main.js`, and beside it `drain.js` — the drain and the Kubernetes client, which `main.js` loads
 * only when a node is drained. Kept out of `main.js` because merely parsing the client's ~1.5 MB
 * costs an idle daemon ~15 MiB of resident memory. Both use the project's one shared option set
 * (`nodeBundleOptions`, also used for the termination Lambda); the Dockerfile and the tests call
 * this same function, so what is tested is what is shipped.
 *
 *   npx tsx images/node-manager/build.ts [outfile]     # default dist/node-manager/main.js
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { nodeBundleOptions } from '../../constructs/interruption/node-bundle';

/** Resolved from this file, never from the working directory. */
export const NODE_MANAGER_ENTRY = join(__dirname, 'src', 'main.ts');
export const DRAIN_ENTRY = join(__dirname, 'src', 'drain', 'run.ts');
export const DEFAULT_OUTFILE = join(__dirname, '..', '..', 'dist', 'node-manager', 'main.js');
/** The drain bundle's file name, beside the main one. */
export const DRAIN_BUNDLE = 'drain.js';

/** `import('./run')` in src/drain/index.ts becomes `import('./drain.js')`, the separate bundle. */
const drainAsSeparateBundle: Plugin = {
  name: 'drain-as-separate-bundle',
  setup(b) {
    b.onResolve({ filter: /^\.\/run$/ }, (args) =>
      join(args.resolveDir, 'run') === join(dirname(DRAIN_ENTRY), 'run') ? { path: `./${DRAIN_BUNDLE}`, external: true } : undefined,
    );
  },
};

function options(entry: string, outfile: string): BuildOptions {
  return { ...nodeBundleOptions(entry, outfile), keepNames: true }; // error names (ImdsError, TooManyRequestsException) appear in logs
}

export async function bundleNodeManager(
  outfile: string = DEFAULT_OUTFILE,
): Promise<{ outfile: string; bytes: number; drainFile: string; drainBytes: number }> {
  const drainFile = join(dirname(outfile), DRAIN_BUNDLE);
  const results = await Promise.all([
    build({ ...options(NODE_MANAGER_ENTRY, outfile), plugins: [drainAsSeparateBundle] }),
    build(options(DRAIN_ENTRY, drainFile)),
  ]);
  const errors = results.flatMap((r) => r.errors);
  if (errors.length > 0) throw new Error(errors.map((e) => e.text).join('\n'));
  return { outfile, bytes: statSync(outfile).size, drainFile, drainBytes: statSync(drainFile).size };
}

if (require.main === module) {
  bundleNodeManager(process.argv[2]).then(
    ({ outfile, bytes, drainFile, drainBytes }) =>
      console.log(`bundled node-manager → ${outfile} (${(bytes / 1024).toFixed(0)} KiB) + ${drainFile} (${(drainBytes / 1024).toFixed(0)} KiB)`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
