import type { BuildOptions } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { zipSync } from '../assets/zip';

/** esbuild options shared by the Lambda asset and the node-manager image: one Node 22 CJS file. */
export function nodeBundleOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // Prefer ES module builds: esbuild then drops the SDK commands we never send (EC2: ≈1 MB less).
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    // Paths as seen from the checkout, also when node_modules is a link: the same bytes everywhere.
    preserveSymlinks: true,
    logLevel: 'silent',
  };
}

/**
 * esbuild, loaded only when a bundle is built from source: the published package ships its bundles
 * prebuilt (see constructs/assets/prebuilt.ts) and does not depend on esbuild.
 */
function esbuild(purpose: string): typeof import('esbuild') {
  try {
    return require('esbuild') as typeof import('esbuild');
  } catch {
    throw new Error(
      `${purpose} needs esbuild, which is not installed. Fix: \`npm install --save-dev esbuild\` together with the ` +
        `bundled code's dependencies (@aws-sdk/*, @aws-lambda-powertools/*), or use the prebuilt asset the package ships ` +
        `(drop bundleFromSource / SPOT_EKS_BUNDLE_FROM_SOURCE).`,
    );
  }
}

/** The file name of the deployment zip beside `out/` in a bundle folder: index.js and its map. */
export const BUNDLE_ZIP = 'bundle.zip';

/**
 * Bundles `entry` (synchronously, construct constructors are) into `outDir/index.js` + its source
 * map, with map sources relative to `sourceRoot`, and returns the files the bundle was built from.
 */
export function buildNodeBundle(entry: string, sourceRoot: string, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const result = esbuild(`Bundling ${relative(sourceRoot, entry)}`).buildSync({
    ...nodeBundleOptions(entry, join(outDir, 'index.js')),
    metafile: true,
    absWorkingDir: sourceRoot,
  });
  if (result.errors.length > 0) throw new Error(`bundling ${entry} failed: ${result.errors.map((e) => e.text).join('; ')}`);
  relativizeSourceMap(join(outDir, 'index.js.map'), outDir, sourceRoot);
  return Object.keys(result.metafile!.inputs).map((f) => resolve(sourceRoot, f));
}

/** The reproducible deployment zip of a bundle folder (index.js, index.js.map). */
export function zipBundle(outDir: string): Buffer {
  return zipSync(['index.js', 'index.js.map'].map((name) => ({ name, data: readFileSync(join(outDir, name)) })));
}

type Inputs = [file: string, mtimeMs: number, size: number][];
const MANIFEST = 'inputs.json';

/**
 * Bundles `entry` into `<dir>/out/index.js` (+ source map, + `<dir>/bundle.zip`) and returns
 * `<dir>/out`. The bundle is cached on disk (see {@link cachedBuild}): every synth of a test run,
 * and every synth after the first, reuses it.
 */
export function bundleNodeEntry(entry: string, sourceRoot: string): string {
  const dir = cachedBuild(bundleCacheKey(entry, sourceRoot), (building) => {
    const out = join(building, 'out'); // only the bundle: this folder becomes the Lambda zip
    const inputs = buildNodeBundle(entry, sourceRoot, out);
    writeFileSync(join(building, BUNDLE_ZIP), zipBundle(out));
    return inputs;
  });
  return join(dir, 'out');
}

/** The deployment zip of `entry`'s bundle, built (or reused) as {@link bundleNodeEntry} does. */
export function bundleNodeEntryZip(entry: string, sourceRoot: string): string {
  return join(dirname(bundleNodeEntry(entry, sourceRoot)), BUNDLE_ZIP);
}

/**
 * A build cached in `<tmp>/spot-ready-eks-<key>` with the list of files it was built from, and
 * redone only when one of them changed (modification time or size). `build` writes into the folder
 * it is given and returns the files it read; that folder then replaces the cached one atomically,
 * so a concurrent reader sees the old build or the new one. Returns the folder holding the build.
 */
export function cachedBuild(key: string, build: (dir: string) => string[]): string {
  const dir = cacheFolder(key);
  if (upToDate(dir)) return dir;
  const building = `${dir}.${process.pid}.${Date.now()}`;
  return store(dir, building, build(building));
}

/** {@link cachedBuild} for a build that runs asynchronously (esbuild with plugins). */
export async function cachedBuildAsync(key: string, build: (dir: string) => Promise<string[]>): Promise<string> {
  const dir = cacheFolder(key);
  if (upToDate(dir)) return dir;
  const building = `${dir}.${process.pid}.${Date.now()}`;
  return store(dir, building, await build(building));
}

/** Entry, root, the build options, a variant and the esbuild version: a change to any of them is a new cache key. */
export function bundleCacheKey(entry: string, sourceRoot: string, variant = ''): string {
  let version = 'unknown';
  try {
    version = (require('esbuild/package.json') as { version: string }).version;
  } catch {
    // not installed: building will say so
  }
  const options = JSON.stringify(nodeBundleOptions(entry, 'index.js'));
  return createHash('sha256').update(`v3\0${entry}\0${sourceRoot}\0${options}\0${version}\0${variant}`).digest('hex').slice(0, 16);
}

const cacheFolder = (key: string): string => join(tmpdir(), `spot-ready-eks-${key}`);

function store(dir: string, building: string, files: string[]): string {
  const inputs: Inputs = files.map((file) => {
    const st = statSync(file);
    return [file, st.mtimeMs, st.size];
  });
  writeFileSync(join(building, MANIFEST), JSON.stringify(inputs));
  try {
    rmSync(dir, { recursive: true, force: true });
    renameSync(building, dir);
    return dir;
  } catch {
    return building; // another process won the rename; ours is just as good
  }
}

function upToDate(dir: string): boolean {
  const manifest = join(dir, MANIFEST);
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as Inputs).every(([file, mtimeMs, size]) => {
      const st = statSync(file);
      return st.mtimeMs === mtimeMs && st.size === size;
    });
  } catch {
    return false;
  }
}

/**
 * esbuild writes map sources relative to the (temporary) output folder; rewrite them relative to
 * `sourceRoot` so the bundle — and so the asset hash and snapshots — is the same in every checkout.
 */
export function relativizeSourceMap(mapFile: string, outDir: string, sourceRoot: string): void {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  map.sources = map.sources.map((source) => relative(sourceRoot, resolve(outDir, source)).split('\\').join('/'));
  writeFileSync(mapFile, JSON.stringify(map));
}
