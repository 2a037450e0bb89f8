import { eksAmiParameterName, eksOptimizedAmiId } from '../../constructs/capacity/ami';
import type { LaunchSpec } from '../../constructs/capacity/launch-spec';
import { synth } from './fixtures';

const gpu = { instanceSelection: { requirements: { gpus: { min: 1 } } } };

describe('eksAmiParameterName', () => {
  it.each<[string, Partial<LaunchSpec>, string]>([
    ['AL2023 x86_64, pinned by default', {}, '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.33-v20260224/image_id'],
    ['AL2023 arm64', { architecture: 'arm64' }, '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/standard/amazon-eks-node-al2023-arm64-standard-1.33-v20260224/image_id'],
    ['AL2023 NVIDIA when GPUs are required', gpu, '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/nvidia/amazon-eks-node-al2023-x86_64-nvidia-1.33-v20260224/image_id'],
    ['AL2023 at another release', { amiFamily: { kind: 'al2023', version: 'v20251101' } }, '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.33-v20251101/image_id'],
    ['AL2023 following every release', { amiFamily: { kind: 'al2023', version: 'latest' } }, '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id'],
    ['Bottlerocket, pinned (SSM drops the v)', { amiFamily: { kind: 'bottlerocket' }, architecture: 'arm64' }, '/aws/service/bottlerocket/aws-k8s-1.33/arm64/1.55.0/image_id'],
    ['Bottlerocket NVIDIA', { amiFamily: { kind: 'bottlerocket' }, ...gpu }, '/aws/service/bottlerocket/aws-k8s-1.33-nvidia/x86_64/1.55.0/image_id'],
    ['Bottlerocket latest', { amiFamily: { kind: 'bottlerocket', version: 'latest' } }, '/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_id'],
  ])('%s', (_what, spec, expected) => {
    expect(eksAmiParameterName({ name: 'x', ...spec }, '1.33')).toBe(expected);
  });

  it('uses the standard AMI when GPUs are optional (min 0)', () => {
    expect(eksAmiParameterName({ name: 'x', instanceSelection: { requirements: { gpus: { min: 0, max: 1 } } } }, '1.32')).toContain('/standard/');
  });
});

describe('eksOptimizedAmiId', () => {
  it('reads the public SSM parameter through a data source', () => {
    let id = '';
    const out = synth((scope) => {
      id = eksOptimizedAmiId(scope, 'ami', { name: 'x', architecture: 'arm64' }, '1.31');
    });
    const [[logicalId, parameter]] = Object.entries(out.data!.aws_ssm_parameter);
    expect(parameter.name).toBe('/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/arm64/standard/amazon-eks-node-al2023-arm64-standard-1.31-v20260224/image_id');
    expect(id).toMatch(/^\$\{TfToken/);
    expect(logicalId).toBe('ami');
  });

  it('returns a custom AMI id as given, without a data source', () => {
    let id = '';
    const out = synth((scope) => {
      id = eksOptimizedAmiId(scope, 'ami', { name: 'x', amiFamily: { kind: 'custom', amiId: 'ami-0123456789abcdef0' } }, '1.33');
    });
    expect(id).toBe('ami-0123456789abcdef0');
    expect(out.data).toBeUndefined();
  });

  it('shares one data source per parameter within a stack', () => {
    const ids: string[] = [];
    const out = synth((scope) => {
      ids.push(eksOptimizedAmiId(scope, 'a', { name: 'a' }, '1.33'));
      ids.push(eksOptimizedAmiId(scope, 'b', { name: 'b', labels: { x: 'y' } }, '1.33'));
      ids.push(eksOptimizedAmiId(scope, 'c', { name: 'c', architecture: 'arm64' }, '1.33'));
    });
    expect(Object.keys(out.data!.aws_ssm_parameter).sort()).toEqual(['a', 'c']);
    expect(synth((scope) => eksOptimizedAmiId(scope, 'a', { name: 'a' }, '1.33')).data!.aws_ssm_parameter).toHaveProperty('a');
  });
});
