import { buildSync, BuildOptions } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

type Inputs = [file: string, mtimeMs: number, size: number][];
const MANIFEST = 'inputs.json';

/**
 * Bundles `entry` into `<dir>/index.js` (+ source map) at synth time and returns that directory.
 * Synchronous because construct constructors are. The bundle is cached on disk with the list of
 * files it was built from, and rebuilt only when one of them changed: every synth of a test run,
 * and every `cdktf synth` after the first, reuses it.
 */
export function bundleNodeEntry(entry: string, sourceRoot: string): string {
  const dir = join(tmpdir(), `spot-ready-eks-${createHash('sha256').update(`${entry}\0${sourceRoot}`).digest('hex').slice(0, 16)}`);
  if (upToDate(dir)) return join(dir, 'out');
  const building = `${dir}.${process.pid}.${Date.now()}`;
  const out = join(building, 'out'); // only the bundle: this folder becomes the Lambda zip
  mkdirSync(out, { recursive: true });
  const result = buildSync({ ...nodeBundleOptions(entry, join(out, 'index.js')), metafile: true, absWorkingDir: sourceRoot });
  if (result.errors.length > 0) throw new Error(`bundling ${entry} failed: ${result.errors.map((e) => e.text).join('; ')}`);
  relativizeSourceMap(join(out, 'index.js.map'), out, sourceRoot);
  const inputs: Inputs = Object.keys(result.metafile!.inputs).map((f) => {
    const file = resolve(sourceRoot, f);
    const st = statSync(file);
    return [file, st.mtimeMs, st.size];
  });
  writeFileSync(join(building, MANIFEST), JSON.stringify(inputs));
  try {
    rmSync(dir, { recursive: true, force: true });
    renameSync(building, dir); // atomic: a concurrent synth sees the old bundle or the new one
    return join(dir, 'out');
  } catch {
    return out; // another process won the rename; ours is just as good
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
function relativizeSourceMap(mapFile: string, outDir: string, sourceRoot: string): void {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  map.sources = map.sources.map((source) => relative(sourceRoot, resolve(outDir, source)).split('\\').join('/'));
  writeFileSync(mapFile, JSON.stringify(map));
}
