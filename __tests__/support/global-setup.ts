/**
 * The test run's global setup: a fresh folder for the run's shared synth results (./synth-cache.ts),
 * removed when the run ends, and the two bundles several suites run (the termination Lambda, the
 * node-manager daemon) built once before the workers start — cached on disk, so later runs only
 * check their sources' stamps — instead of by whichever workers reach them first, at the same time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleNodeEntry } from '../../constructs/interruption/node-bundle';
import { SYNTH_CACHE_ENV } from './synth-cache';

const root = join(__dirname, '..', '..');
export const SHARED_BUNDLES = [join('lambda', 'termination-handler', 'index.ts'), join('images', 'node-manager', 'src', 'main.ts')];

export default function globalSetup(): () => void {
  // Workers inherit the parent's environment, so this reaches every test file.
  const dir = mkdtempSync(join(tmpdir(), 'spot-ready-eks-synth-cache-'));
  process.env[SYNTH_CACHE_ENV] = dir;
  for (const entry of SHARED_BUNDLES) bundleNodeEntry(join(root, entry), root);
  return () => rmSync(dir, { recursive: true, force: true });
}
