/**
 * The test run's global setup: a fresh folder for the run's shared synth results (./synth-cache.ts),
 * removed when the run ends, and the two bundles several suites run (the termination Lambda, and
 * the node-manager daemon as the image ships it) built once before the workers start — cached on
 * disk, so later runs only check their sources' stamps — instead of by whichever workers reach them
 * first, at the same time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleNodeEntry } from '../../constructs/interruption/node-bundle';
import { TERMINATION_HANDLER_ENTRY } from '../../constructs/interruption/termination-handler-code';
import { cachedNodeManagerBundle } from '../../images/node-manager/build';
import { NODE_MANAGER_BUNDLE_ENV } from './node-manager-bundle';
import { SYNTH_CACHE_ENV } from './synth-cache';

const root = join(__dirname, '..', '..');

export default async function globalSetup(): Promise<() => void> {
  // Workers inherit the parent's environment, so these reach every test file.
  const dir = mkdtempSync(join(tmpdir(), 'spot-ready-eks-synth-cache-'));
  process.env[SYNTH_CACHE_ENV] = dir;
  bundleNodeEntry(join(root, TERMINATION_HANDLER_ENTRY), root);
  process.env[NODE_MANAGER_BUNDLE_ENV] = await cachedNodeManagerBundle();
  return () => rmSync(dir, { recursive: true, force: true });
}
