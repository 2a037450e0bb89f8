/** jest globalSetup: a fresh folder for the run's shared synth results (./synth-cache.ts). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNTH_CACHE_ENV } from './synth-cache';

export default function globalSetup(): void {
  // Workers inherit the parent's environment, so this reaches every test file.
  process.env[SYNTH_CACHE_ENV] = mkdtempSync(join(tmpdir(), 'spot-ready-eks-synth-cache-'));
}
