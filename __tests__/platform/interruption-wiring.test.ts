/**
 * How the platform wires the interruption path: one act-on list rendered alike for node-manager
 * (DaemonSet env) and the termination Lambda (function env), and node-manager's drain decided by
 * the capacity engine's `interruptionDrainer`.
 */
import { DEFAULT_ACT_ON } from '../../contract/act-on';
import { validatePlatformConfig } from '../../constructs/platform/config';
import { only, resources, synthPlatform, type TfJson } from '../support/synth';

function daemonEnv(workloads: TfJson): Record<string, string> {
  const container = only(workloads, 'kubernetes_daemon_set_v1').spec.template.spec.container[0];
  return Object.fromEntries(container.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
}
const lambdaEnv = (cluster: TfJson): Record<string, string> => only(cluster, 'aws_lambda_function').environment.variables;
const evictRule = (workloads: TfJson) =>
  resources(workloads, 'kubernetes_cluster_role_v1').flatMap((r) => r.rule ?? []).find((rule: any) => (rule.resources ?? []).includes('pods/eviction'));

describe('the platform act-on list', () => {
  it('renders the one default in the DaemonSet env and the Lambda env alike', () => {
    const { cluster, workloads } = synthPlatform({ capacityEngine: 'asg' });
    expect(daemonEnv(workloads).ACT_ON).toBe(DEFAULT_ACT_ON.join(','));
    expect(lambdaEnv(cluster).ACT_ON).toBe(DEFAULT_ACT_ON.join(','));
  });

  it('passes a configured list to both', () => {
    const actOn = ['spot-interruption', 'scheduled-maintenance', 'rebalance-recommendation'] as const;
    const { cluster, workloads } = synthPlatform({ capacityEngine: 'asg', actOn: [...actOn] });
    expect(daemonEnv(workloads).ACT_ON).toBe(actOn.join(','));
    expect(lambdaEnv(cluster).ACT_ON).toBe(daemonEnv(workloads).ACT_ON);
  });

  it('refuses an unknown signal or an empty list before synthesis, naming actOn', () => {
    expect(() => validatePlatformConfig({ actOn: ['spot-interruption', 'volcano' as never] })).toThrow(/actOn\[1\]: must be one of "spot-interruption", "rebalance-recommendation"/);
    expect(() => validatePlatformConfig({ actOn: [] })).toThrow(/actOn: must list at least one of/);
  });
});

describe('who drains: node-manager follows the capacity engine', () => {
  it('karpenter: Karpenter drains, node-manager cordons and taints only and may not evict', () => {
    const { workloads, platform } = synthPlatform({ capacityEngine: 'karpenter' });
    expect(platform.capacity.interruptionDrainer).toBe('karpenter');
    expect(daemonEnv(workloads)).toMatchObject({ DRAIN_ENABLED: 'true', CORDON_ONLY: 'true' });
    expect(evictRule(workloads)).toBeUndefined();
  });

  it.each([
    ['asg', {}],
    ['spotinst', { spotinstAccount: 'act-12345678' }],
  ] as const)('%s: node-manager drains (evictions allowed)', (engine, extra) => {
    const { workloads, platform } = synthPlatform({ capacityEngine: engine, ...extra });
    expect(platform.capacity.interruptionDrainer).toBe('node-manager');
    expect(daemonEnv(workloads)).toMatchObject({ DRAIN_ENABLED: 'true', CORDON_ONLY: 'false' });
    expect(evictRule(workloads)).toBeDefined();
  });

  it('keeps an operator choice: nodeManagerDrain false stays off, cordon-only on asg stays cordon-only', () => {
    expect(daemonEnv(synthPlatform({ capacityEngine: 'karpenter', nodeManagerDrain: false }).workloads)).toMatchObject({ DRAIN_ENABLED: 'false', CORDON_ONLY: 'false' });
    expect(daemonEnv(synthPlatform({ capacityEngine: 'asg', nodeManagerCordonOnly: true }).workloads)).toMatchObject({ DRAIN_ENABLED: 'true', CORDON_ONLY: 'true' });
  });

  it('refuses a NoExecute taint beside Karpenter (it would evict every pod at once), naming the field and the fix', () => {
    expect(() => synthPlatform({ capacityEngine: 'karpenter', nodeManagerTaintEffect: 'NoExecute' })).toThrow(
      /nodeManagerTaintEffect: 'NoExecute'.*karpenter drains.*Fix: use 'NoSchedule'/,
    );
    expect(daemonEnv(synthPlatform({ capacityEngine: 'asg', nodeManagerTaintEffect: 'NoExecute' }).workloads).TAINT_EFFECT).toBe('NoExecute');
  });
});
