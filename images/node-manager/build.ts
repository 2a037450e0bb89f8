/**
 * Bundles the node-manager daemon with esbuild into the two files the container image ships:
 * `main.js`, and beside it `drain.js` — the drain and the YAML parser for an off-cluster
 * kubeconfig, which `main.js` loads only when a node is drained. Both use the project's one shared
 * option set (`nodeBundleOptions`, also used for the termination Lambda); the Dockerfile, the
 * prebuilt asset and the tests' daemons (through {@link cachedNodeManagerBundle}) all come from this
 * one function, so what is tested is what is shipped.
 *
 *   npx tsx images/node-manager/build.ts [outfile]     # default dist/node-manager/main.js
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleCacheKey, cachedBuildAsync, nodeBundleOptions } from '../../constructs/interruption/node-bundle';

/** Resolved from this file, never from the working directory. */
export const NODE_MANAGER_ENTRY = join(__dirname, 'src', 'main.ts');
export const DRAIN_ENTRY = join(__dirname, 'src', 'drain', 'run.ts');
const ROOT = join(__dirname, '..', '..');
export const DEFAULT_OUTFILE = join(ROOT, 'dist', 'node-manager', 'main.js');
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
  // keepNames: error names (ImdsError, TooManyRequestsException) appear in logs.
  return { ...nodeBundleOptions(entry, outfile), keepNames: true, metafile: true, absWorkingDir: ROOT };
}

export interface NodeManagerBundle {
  readonly outfile: string;
  readonly bytes: number;
  readonly drainFile: string;
  readonly drainBytes: number;
  /** Every source file either bundle was built from. */
  readonly inputs: string[];
}

export async function bundleNodeManager(outfileArg: string = DEFAULT_OUTFILE): Promise<NodeManagerBundle> {
  const outfile = resolve(outfileArg); // from the working directory, as given on the command line
  const drainFile = join(dirname(outfile), DRAIN_BUNDLE);
  const results = await Promise.all([
    build({ ...options(NODE_MANAGER_ENTRY, outfile), plugins: [drainAsSeparateBundle] }),
    build(options(DRAIN_ENTRY, drainFile)),
  ]);
  const errors = results.flatMap((r) => r.errors);
  if (errors.length > 0) throw new Error(errors.map((e) => e.text).join('\n'));
  const inputs = [...new Set(results.flatMap((r) => Object.keys(r.metafile!.inputs)))].map((f) => resolve(ROOT, f));
  return { outfile, bytes: statSync(outfile).size, drainFile, drainBytes: statSync(drainFile).size, inputs };
}

/**
 * This checkout's daemon bundle as {@link bundleNodeManager} builds it (main.js + drain.js),
 * cached on disk and rebuilt only when one of its sources changed. Returns main.js's path.
 */
export async function cachedNodeManagerBundle(): Promise<string> {
  const key = bundleCacheKey(NODE_MANAGER_ENTRY, ROOT, `main.js + ${DRAIN_BUNDLE}, keepNames`);
  const dir = await cachedBuildAsync(key, async (building) => (await bundleNodeManager(join(building, 'main.js'))).inputs);
  return join(dir, 'main.js');
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
