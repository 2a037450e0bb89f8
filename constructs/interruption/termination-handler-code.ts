import { copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fromSourceRequested, hashedZipName, prebuiltAsset } from '../assets/prebuilt';
import { packageRoot } from '../package-paths';
import { bundleNodeEntryZip } from './node-bundle';

/** The prebuilt asset's name in dist/assets/manifest.json, and the handler's entry in the package. */
export const TERMINATION_HANDLER_ASSET = 'termination-handler';
export const TERMINATION_HANDLER_ENTRY = join('lambda', 'termination-handler', 'index.ts');

/**
 * The termination Lambda's deployment zip: the prebuilt one the package ships while it matches the
 * sources, else (or when `fromSource`, or SPOT_EKS_BUNDLE_FROM_SOURCE=1) bundled from the package's
 * sources with esbuild — cached on disk until a source file changes.
 */
export function terminationHandlerZip(fromSource = false): string {
  const root = packageRoot();
  const prebuilt = fromSource || fromSourceRequested() ? undefined : prebuiltAsset(root, TERMINATION_HANDLER_ASSET);
  return prebuilt ?? hashedCopy(bundleNodeEntryZip(join(root, TERMINATION_HANDLER_ENTRY), root));
}

/** The zip under its content-hashed name, as the prebuilt one is named: the synthesized asset path is the same either way. */
function hashedCopy(zip: string): string {
  const file = join(dirname(zip), hashedZipName(TERMINATION_HANDLER_ASSET, readFileSync(zip)));
  if (!existsSync(file)) {
    copyFileSync(zip, `${file}.${process.pid}`);
    renameSync(`${file}.${process.pid}`, file);
  }
  return file;
}
