/** Shared fixtures of the Ocean tests: a literal cluster, two stacks, synth helpers, CRD validation. */
import { readFileSync } from 'node:fs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { EC2NodeClass } from '@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass';
import { NodePool } from '@kubernetes-models/karpenter/karpenter.sh/v1/NodePool';
import { App, Testing, TerraformStack } from 'cdktf';
import type { IEksCluster } from '../../constructs/cluster/cluster-reference';
import type { LaunchSpec } from '../../constructs/capacity/launch-spec';
import { Ocean, type OceanProps } from '../../constructs/capacity/ocean';
import type { OceanDefaults } from '../../constructs/capacity/ocean-defaults';
import { literalCluster } from '../support/literal-cluster';

export const cluster: IEksCluster = literalCluster('demo');

/** The same defaults every engine renders in the cross-engine test. */
export const sharedDefaults: OceanDefaults = {
  instanceSelection: { requirements: { vcpu: { min: 2, max: 16 }, memoryMiB: { min: 4096 }, categories: ['c', 'm', 'r'], gpus: { max: 0 } } },
  tags: { team: 'platform' },
};

export const cpuSpec: LaunchSpec = { name: 'cpu', labels: { workload: 'general' } };
export const gpuSpec: LaunchSpec = {
  name: 'gpu',
  amiFamily: { kind: 'custom', amiId: 'ami-0123456789abcdef0', userData: '#!/bin/bash\necho gpu-node\n' },
  labels: { processor: 'gpu' },
  taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
  instanceSelection: { instanceTypes: ['g5.xlarge', 'g5.2xlarge'] },
};

export interface Rendered {
  readonly ocean: Ocean;
  /** Synthesized Terraform JSON of the cluster stack. */
  readonly clusterJson: any;
  /** Synthesized Terraform JSON of the workloads stack. */
  readonly workloadsJson: any;
}

/** The platform's two stacks: `cluster` with the AWS provider, `workloads` with kubernetes and helm. */
export function twoStacks(): { app: App; clusterStack: TerraformStack; workloads: TerraformStack } {
  const app: App = Testing.app();
  const clusterStack = new TerraformStack(app, 'cluster');
  new AwsProvider(clusterStack, 'aws', { region: 'eu-west-1' });
  const workloads = new TerraformStack(app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  new HelmProvider(workloads, 'helm', {});
  return { app, clusterStack, workloads };
}

/** Renders an Ocean into the two-stack app (AWS side in `cluster`, Kubernetes side in `workloads`). */
export function render(props: Partial<OceanProps> & Pick<OceanProps, 'engine'>, specs: LaunchSpec[] = []): Rendered {
  const { app, clusterStack, workloads } = twoStacks();
  const ocean = new Ocean(clusterStack, 'capacity', {
    cluster,
    region: 'eu-west-1',
    workloadsScope: workloads,
    spotinst: { account: 'act-12345678' },
    ...props,
  });
  specs.forEach((s) => ocean.addLaunchSpec(s));
  app.synth();
  const read = (stack: string) => JSON.parse(readFileSync(`${app.outdir}/stacks/${stack}/cdk.tf.json`, 'utf8'));
  return { ocean, clusterJson: read('cluster'), workloadsJson: read('workloads') };
}

/** Resources of one type in a synthesized stack, by logical id. */
export function resources(json: any, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

export function resourceList(json: any, type: string): any[] {
  return Object.values(resources(json, type));
}

/**
 * Validates Karpenter objects against Karpenter's own CRD schemas (@kubernetes-models/karpenter).
 * Returns one error string per invalid object (empty when all are valid).
 */
export function karpenterSchemaErrors(objects: unknown[]): string[] {
  const errors: string[] = [];
  for (const obj of objects as { kind?: string; metadata?: { name?: string } }[]) {
    const Model = obj.kind === 'NodePool' ? NodePool : obj.kind === 'EC2NodeClass' ? EC2NodeClass : undefined;
    if (!Model) {
      errors.push(`unknown kind ${obj.kind}`);
      continue;
    }
    try {
      new Model(obj as any).validate();
    } catch (e) {
      errors.push(`${obj.kind}/${obj.metadata?.name}: ${(e as Error).message}`);
    }
  }
  return errors;
}
