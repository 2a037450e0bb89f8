import { buildSync, BuildOptions } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

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
    logLevel: 'silent',
  };
}

const bundled = new Map<string, string>();

/**
 * Bundles `entry` into `<dir>/index.js` (+ source map) at synth time and returns the directory.
 * Synchronous because construct constructors are; memoized per process, so a test run that
 * synthesizes many stacks bundles once.
 */
export function bundleNodeEntry(entry: string, sourceRoot: string): string {
  const done = bundled.get(entry);
  if (done) return done;
  const dir = join(tmpdir(), `spot-ready-eks-${createHash('sha256').update(entry).digest('hex').slice(0, 12)}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const result = buildSync(nodeBundleOptions(entry, join(dir, 'index.js')));
  if (result.errors.length > 0) throw new Error(`bundling ${entry} failed: ${result.errors.map((e) => e.text).join('; ')}`);
  relativizeSourceMap(join(dir, 'index.js.map'), dir, sourceRoot);
  bundled.set(entry, dir);
  return dir;
}

/**
 * esbuild writes map sources relative to the (temporary) output folder; rewrite them relative to
 * `sourceRoot` so the bundle — and so the asset hash and snapshots — is the same in every checkout.
 */
function relativizeSourceMap(mapFile: string, outDir: string, sourceRoot: string): void {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  map.sources = map.sources.map((source) => relative(sourceRoot, resolve(outDir, source)).split('\\').join('/'));
  writeFileSync(mapFile, JSON.stringify(map));
}

/** The bundle's size in bytes. */
export function bundleBytes(dir: string): number {
  return statSync(join(dir, 'index.js')).size;
}
