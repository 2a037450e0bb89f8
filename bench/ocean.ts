/**
 * Synth time of the Ocean per engine, for 1 and for 100 launch specs (target: 100 specs ≤ 2× of 1).
 * Two measures: "cold" is what `cdktf synth` costs — a fresh process loading the providers and
 * synthesizing; "warm" is the synth alone in a process that has loaded everything already.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { IEksCluster } from '../constructs/cluster/cluster-reference';
import { Ocean } from '../constructs/capacity/ocean';
import type { OceanEngineName } from '../constructs/capacity/ocean-engine';
import { literalCluster } from '../__tests__/support/literal-cluster';

// Synth as main.ts runs it: without source-mapped stack traces for cdktf's token records.
process.setSourceMapsEnabled(false);

const cluster: IEksCluster = literalCluster('bench');

function synthMs(engine: OceanEngineName, specs: number): number {
  const outdir = mkdtempSync(join(tmpdir(), 'ocean-bench-'));
  const start = performance.now();
  const app = new App({ outdir });
  const clusterStack = new TerraformStack(app, 'cluster');
  new AwsProvider(clusterStack, 'aws', { region: 'eu-west-1' });
  const workloads = new TerraformStack(app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  new HelmProvider(workloads, 'helm', {});
  const ocean = new Ocean(clusterStack, 'capacity', {
    cluster,
    region: 'eu-west-1',
    engine,
    workloadsScope: workloads,
    spotinst: { account: 'act-12345678' },
    defaults: { instanceSelection: { requirements: { vcpu: { min: 2, max: 16 }, categories: ['c', 'm', 'r'] } } },
  });
  for (let i = 0; i < specs; i++) {
    ocean.addLaunchSpec({ name: `spec-${i}`, labels: { pool: `p${i}` }, taints: i % 2 ? [{ key: 'dedicated', value: `p${i}`, effect: 'NoSchedule' }] : [] });
  }
  app.synth();
  const ms = performance.now() - start;
  rmSync(outdir, { recursive: true, force: true });
  return ms;
}

/** Milliseconds from process start to the end of synth, in a fresh node process. */
function coldMs(engine: OceanEngineName, specs: number): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--cold', engine, String(specs)], { encoding: 'utf8' });
  return Number(out.trim());
}

const line = (label: string, one: number, hundred: number) =>
  `${label}: 1 spec ${one.toFixed(0)} ms, 100 specs ${hundred.toFixed(0)} ms, ratio ${(hundred / one).toFixed(2)} (target ≤ 2) ${hundred / one <= 2 ? 'OK' : 'OVER'}`;

export async function run(): Promise<void> {
  synthMs('karpenter', 1); // load every module first so the warm numbers are synth only
  for (const engine of ['karpenter', 'spotinst', 'asg'] as const) {
    console.log(line(`ocean/${engine} cold (fresh process, as cdktf synth)`, coldMs(engine, 1), coldMs(engine, 100)));
    const warmOne = Math.min(synthMs(engine, 1), synthMs(engine, 1));
    const warmHundred = Math.min(synthMs(engine, 100), synthMs(engine, 100));
    console.log(line(`ocean/${engine} warm (synth only)`, warmOne, warmHundred));
  }
}

const coldArgs = process.argv.indexOf('--cold');
if (coldArgs > 0) {
  synthMs(process.argv[coldArgs + 1] as OceanEngineName, Number(process.argv[coldArgs + 2]));
  process.stdout.write(String(performance.now()));
} else if (require.main === module) {
  void run();
}
