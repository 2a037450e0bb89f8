/** The default app's synth: wall time of the whole process (what `cdktf synth` waits for) and peak RSS. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export async function run(): Promise<void> {
  const samples: { wallMs: number; synthMs: number; maxRssMiB: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
    const start = performance.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'synth-once.ts')], {
      env: { ...process.env, CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
    });
    const wallMs = performance.now() - start;
    rmSync(outdir, { recursive: true, force: true });
    if (child.status !== 0) throw new Error(`synth failed: ${child.stderr}`);
    samples.push({ wallMs, ...JSON.parse(child.stdout.trim().split('\n').pop()!) });
  }
  const best = (k: 'wallMs' | 'synthMs' | 'maxRssMiB') => Math.min(...samples.map((s) => s[k]));
  console.log(`default app synth: process wall ${best('wallMs').toFixed(0)} ms (target ≤ 3000), in-process ${best('synthMs').toFixed(0)} ms, peak RSS ${best('maxRssMiB').toFixed(0)} MiB (target ≤ 400) — best of ${samples.length}`);
}
