/**
 * The prebuilt, content-hashed assets the package ships in dist/assets/ (`npm run build` runs this
 * after tsc, and `npm pack` runs the build): the termination Lambda's deployment zip and the
 * node-manager daemon's bundle (main.js + drain.js, what the image runs), with manifest.json naming
 * each file, its sha256 and — for the Lambda, which synth picks up — the sources it was built from.
 * Built from source every time, reproducibly: `--check` rebuilds into a temporary folder and fails
 * unless every file is byte-identical to dist/assets.
 *
 *   npx tsx scripts/build-assets.ts            write dist/assets/
 *   npx tsx scripts/build-assets.ts --check    verify dist/assets/ against a fresh build
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ASSETS_DIR, ASSETS_MANIFEST, AssetsManifest, hashedZipName, lockfileHash, PrebuiltAsset, sha256, sourcesHash } from '../constructs/assets/prebuilt';
import { buildNodeBundle, relativizeSourceMap, zipBundle } from '../constructs/interruption/node-bundle';
import { TERMINATION_HANDLER_ASSET, TERMINATION_HANDLER_ENTRY } from '../constructs/interruption/termination-handler-code';
import { bundleNodeManager } from '../images/node-manager/build';

const root = join(__dirname, '..');

/** Builds every asset into `dir` (empty or absent) and returns the manifest written there. */
export async function buildAssets(dir: string): Promise<AssetsManifest> {
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'spot-ready-eks-assets-'));
  try {
    const lambdaOut = join(work, 'lambda');
    const inputs = buildNodeBundle(join(root, TERMINATION_HANDLER_ENTRY), root, lambdaOut)
      .map((file) => relative(root, file).split('\\').join('/'))
      .filter((file) => !file.split('/').includes('node_modules'))
      .sort();
    const zip = zipBundle(lambdaOut);
    const zipHash = sha256(zip);
    const lambda: PrebuiltAsset = { file: hashedZipName(TERMINATION_HANDLER_ASSET, zip), sha256: zipHash, inputs, sources: sourcesHash(root, inputs)! };
    writeFileSync(join(dir, lambda.file), zip);

    const daemonOut = join(work, 'node-manager');
    await bundleNodeManager(join(daemonOut, 'main.js'));
    // Map sources relative to the package root, not to this temporary folder: the same bytes in every checkout.
    for (const map of readdirSync(daemonOut).filter((name) => name.endsWith('.map'))) relativizeSourceMap(join(daemonOut, map), daemonOut, root);
    const files = Object.fromEntries(readdirSync(daemonOut).sort().map((name) => [name, sha256(readFileSync(join(daemonOut, name)))]));
    const folderHash = sha256(Object.entries(files).map(([name, hash]) => `${name}\0${hash}\n`).join(''));
    const daemon: PrebuiltAsset = { file: `node-manager.${folderHash.slice(0, 12)}`, sha256: folderHash, files };
    renameSync(daemonOut, join(dir, daemon.file));

    const manifest: AssetsManifest = { lockfile: lockfileHash(root), assets: { [TERMINATION_HANDLER_ASSET]: lambda, 'node-manager': daemon } };
    writeFileSync(join(dir, ASSETS_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), base) : [relative(base, join(dir, e.name))]))
    .sort();
}

async function main(): Promise<void> {
  const target = join(root, ASSETS_DIR);
  if (!process.argv.includes('--check')) {
    rmSync(target, { recursive: true, force: true });
    const manifest = await buildAssets(target);
    for (const [name, asset] of Object.entries(manifest.assets)) console.log(`${ASSETS_DIR}/${asset.file}  (${name}, sha256 ${asset.sha256.slice(0, 16)}…)`);
    return;
  }
  const fresh = mkdtempSync(join(tmpdir(), 'spot-ready-eks-assets-check-'));
  try {
    await buildAssets(fresh);
    const names = [...new Set([...listFiles(target), ...listFiles(fresh)])].sort();
    const differ = names.filter((name) => {
      try {
        return !readFileSync(join(target, name)).equals(readFileSync(join(fresh, name)));
      } catch {
        return true;
      }
    });
    if (differ.length > 0) {
      console.error(`${ASSETS_DIR} does not match a fresh build from source; run \`npm run build\`:\n${differ.map((d) => `  ${d}`).join('\n')}`);
      process.exitCode = 1;
    } else {
      console.log(`${ASSETS_DIR}: ${names.length} files, identical to a fresh build from source`);
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
