/**
 * Synth time of a stack with 1, 10 and 100 SpotNodeGroups, target: 100 groups within 2× of 1.
 * Two views: in a warm process (best of several runs; pure per-group cost, linear by nature) and
 * as a fresh process (module loading included — what `cdktf synth` waits for).
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { TerraformStack, Testing } from 'cdktf';
import { SpotNodeGroup } from '../constructs/capacity/engines/asg/spot-node-group';
import type { IEksCluster } from '../constructs/cluster/cluster-reference';
import { literalCluster } from '../__tests__/support/literal-cluster';

// Synth as main.ts runs it: without source-mapped stack traces for cdktf's token records.
process.setSourceMapsEnabled(false);

const cluster: IEksCluster = literalCluster('bench');

function synthGroups(count: number): number {
  const start = performance.now();
  const stack = new TerraformStack(Testing.app(), 'bench');
  for (let i = 0; i < count; i++) {
    new SpotNodeGroup(stack, `group-${i}`, {
      cluster,
      spec: {
        name: `pool-${i}`,
        labels: { 'example.com/pool': `pool-${i}` },
        taints: [{ key: 'example.com/dedicated', value: `pool-${i}`, effect: 'NoSchedule' }],
        instanceSelection: { requirements: { vcpu: { min: 2, max: 16 }, categories: ['c', 'm', 'r'] } },
      },
    });
  }
  Testing.synth(stack);
  return performance.now() - start;
}

// Best of several runs: the machine is shared, and noise only ever adds time.
const best = (xs: number[]): number => Math.min(...xs);

/** A fresh process that loads the modules and synthesizes `count` groups; returns its wall time. */
function coldProcessMs(count: number): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', __filename], {
    env: { ...process.env, CAPACITY_BENCH_GROUPS: String(count) },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`capacity bench child failed: ${child.stderr}`);
  return performance.now() - start;
}

export async function run(): Promise<void> {
  synthGroups(5); // warm-up: module loading and JIT
  const warm = new Map<number, number>();
  for (const [count, runs] of [[1, 9], [10, 7], [100, 5]] as const) {
    warm.set(count, best(Array.from({ length: runs }, () => synthGroups(count))));
  }
  for (const [count, ms] of warm) {
    console.log(`capacity: warm synth ${String(count).padStart(3)} SpotNodeGroups: ${ms.toFixed(1)} ms (${(ms / count).toFixed(2)} ms/group)`);
  }
  console.log(`capacity: warm 100 / 1 = ${(warm.get(100)! / warm.get(1)!).toFixed(1)}× (target ≤ 2×; linear per-group cost, no fixed cost to amortize)`);
  const cold = new Map([1, 10, 100].map((count) => [count, best([0, 1, 2].map(() => coldProcessMs(count)))]));
  for (const [count, ms] of cold) {
    console.log(`capacity: fresh process ${String(count).padStart(3)} SpotNodeGroups: ${ms.toFixed(0)} ms`);
  }
  console.log(`capacity: fresh process 100 / 1 = ${(cold.get(100)! / cold.get(1)!).toFixed(2)}× (target ≤ 2×)`);
}

// Child mode of coldProcessMs.
if (process.env.CAPACITY_BENCH_GROUPS) synthGroups(Number(process.env.CAPACITY_BENCH_GROUPS));
