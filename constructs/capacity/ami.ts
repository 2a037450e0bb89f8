/**
 * The AMI a launch spec boots: the public SSM parameter of the pinned EKS-optimized release for a
 * family, architecture and Kubernetes version (or the one AWS keeps pointing at the newest, with
 * `version: 'latest'`), or the custom AMI id.
 */
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DEFAULT_AMI_VERSIONS, type LaunchSpec } from './launch-spec';

/** The public SSM parameter name, or `undefined` for a custom AMI. GPUs select the NVIDIA variant. */
export function eksAmiParameterName(spec: LaunchSpec, kubernetesVersion: string): string | undefined {
  const family = spec.amiFamily ?? { kind: 'al2023' };
  const arch = spec.architecture ?? 'x86_64';
  const nvidia = (spec.instanceSelection?.requirements?.gpus?.min ?? 0) > 0;
  switch (family.kind) {
    case 'al2023': {
      const variant = nvidia ? 'nvidia' : 'standard';
      const version = family.version ?? DEFAULT_AMI_VERSIONS.al2023;
      const release = version === 'latest' ? 'recommended' : `amazon-eks-node-al2023-${arch}-${variant}-${kubernetesVersion}-${version}`;
      return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${arch}/${variant}/${release}/image_id`;
    }
    case 'bottlerocket': {
      // Bottlerocket releases are tagged v1.2.3; their SSM parameters drop the v.
      const version = (family.version ?? DEFAULT_AMI_VERSIONS.bottlerocket).replace(/^v/, '');
      return `/aws/service/bottlerocket/aws-k8s-${kubernetesVersion}${nvidia ? '-nvidia' : ''}/${arch}/${version}/image_id`;
    }
    case 'custom':
      return undefined;
  }
}

/** Per stack, the data source already reading each parameter. */
const readers = new WeakMap<TerraformStack, Map<string, DataAwsSsmParameter>>();

/**
 * The AMI id for `spec`: an `aws_ssm_parameter` data source read at plan time (so a new
 * recommended AMI shows up as a launch template change), or the custom id as given. Specs that
 * share a parameter in a stack share its data source (created at the first caller's `scope/id`):
 * 100 node groups cost one SSM read per plan, not 100.
 */
export function eksOptimizedAmiId(scope: Construct, id: string, spec: LaunchSpec, kubernetesVersion: string): string {
  const family = spec.amiFamily;
  if (family?.kind === 'custom') return family.amiId;
  const name = eksAmiParameterName(spec, kubernetesVersion)!;
  const stack = TerraformStack.of(scope);
  const byName = readers.get(stack) ?? new Map<string, DataAwsSsmParameter>();
  readers.set(stack, byName);
  const reader = byName.get(name) ?? new DataAwsSsmParameter(scope, id, { name });
  byName.set(name, reader);
  // insecure_value: the AMI id is public; the sensitive `value` would hide AMI changes in plans.
  return reader.insecureValue;
}
