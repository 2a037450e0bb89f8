import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { TerraformVariable } from 'cdktf';
import type { LaunchSpec } from '../../constructs/capacity/launch-spec';
import { hclQuotedLiteral, nodeLabels, renderUserData } from '../../constructs/capacity/user-data';
import { clusterDnsIp } from '../../constructs/capacity/user-data/bottlerocket';
import { fromBase64, kubeletFlag, mimeParts, nodeConfigOf, readToml } from './decode';
import { cluster, synth } from './fixtures';

const spec: LaunchSpec = {
  name: 'batch',
  labels: { 'example.com/team': 'data', workload: 'batch' },
  taints: [
    { key: 'example.com/dedicated', value: 'batch', effect: 'NoSchedule' },
    { key: 'example.com/dedicated', value: 'batch', effect: 'NoExecute' },
    { key: 'gpu', effect: 'PreferNoSchedule' },
  ],
  startupTaints: [{ key: 'node.example.com/agent-not-ready', effect: 'NoExecute' }],
};

describe('nodeLabels', () => {
  it('adds the lifecycle label to the spec labels', () => {
    expect(nodeLabels(spec, 'spot')).toEqual({ 'example.com/team': 'data', workload: 'batch', 'node-lifecycle': 'spot' });
    expect(nodeLabels({ name: 'x' }, 'on-demand')).toEqual({ 'node-lifecycle': 'on-demand' });
  });
});

describe('AL2023 user data', () => {
  it('is a MIME document whose NodeConfig joins the cluster', () => {
    const config = nodeConfigOf(renderUserData(spec, cluster, 'spot'));
    expect(config.apiVersion).toBe('node.eks.aws/v1alpha1');
    expect(config.kind).toBe('NodeConfig');
    expect(config.spec.cluster).toEqual({
      name: cluster.clusterName,
      apiServerEndpoint: cluster.endpoint,
      certificateAuthority: cluster.certificateAuthorityData,
      cidr: cluster.serviceIpv4Cidr,
    });
  });

  it('registers labels (with the lifecycle) and taints (with startup taints) through kubelet flags', () => {
    const config = nodeConfigOf(renderUserData(spec, cluster, 'on-demand'));
    expect(kubeletFlag(config, '--node-labels').sort()).toEqual(['example.com/team=data', 'node-lifecycle=on-demand', 'workload=batch']);
    expect(kubeletFlag(config, '--register-with-taints')).toEqual([
      'example.com/dedicated=batch:NoSchedule',
      'example.com/dedicated=batch:NoExecute',
      'gpu:PreferNoSchedule',
      'node.example.com/agent-not-ready:NoExecute',
    ]);
  });

  it('leaves out the taints flag when there are no taints', () => {
    const config = nodeConfigOf(renderUserData({ name: 'plain' }, cluster, 'spot'));
    expect(config.spec.kubelet.flags).toEqual(['--node-labels=node-lifecycle=spot']);
  });

  it('appends extra parts after the NodeConfig', () => {
    const script = '#!/bin/bash\necho "tuned" > /tmp/marker\n';
    const withParts: LaunchSpec = { name: 'x', amiFamily: { kind: 'al2023', extraUserDataParts: [{ contentType: 'text/x-shellscript', content: script }] } };
    const parts = mimeParts(fromBase64(renderUserData(withParts, cluster, 'spot')));
    expect(parts.map((p) => p.contentType)).toEqual(['application/node.eks.aws', 'text/x-shellscript']);
    expect(parts[1].body).toBe(script);
  });
});

describe('Bottlerocket user data', () => {
  const bottlerocket: LaunchSpec = { ...spec, amiFamily: { kind: 'bottlerocket', extraSettingsToml: '[settings.kernel]\nlockdown = "integrity"' } };
  const toml = () => readToml(fromBase64(renderUserData(bottlerocket, cluster, 'spot')));

  it('joins the cluster with the DNS IP derived from the service CIDR', () => {
    expect(toml()['settings.kubernetes']).toEqual({
      'cluster-name': cluster.clusterName,
      'api-server': cluster.endpoint,
      'cluster-certificate': cluster.certificateAuthorityData,
      'cluster-dns-ip': '172.20.0.10',
    });
  });

  it('sets the labels, lifecycle included, and groups taints by key', () => {
    expect(toml()['settings.kubernetes.node-labels']).toEqual({ 'example.com/team': 'data', workload: 'batch', 'node-lifecycle': 'spot' });
    expect(toml()['settings.kubernetes.node-taints']).toEqual({
      'example.com/dedicated': ['batch:NoSchedule', 'batch:NoExecute'],
      gpu: [':PreferNoSchedule'],
      'node.example.com/agent-not-ready': [':NoExecute'],
    });
  });

  it('appends the extra settings', () => {
    expect(toml()['settings.kernel']).toEqual({ lockdown: 'integrity' });
  });

  it('computes the DNS IP across octets', () => {
    expect(clusterDnsIp('10.100.0.0/16')).toBe('10.100.0.10');
    expect(clusterDnsIp('192.168.255.250/30')).toBe('192.169.0.4');
    expect(() => clusterDnsIp('fd00::/108')).toThrow(/serviceIpv4Cidr.*Fix/);
  });
});

describe('custom AMI user data', () => {
  it('passes the given user data through, base64-encoded', () => {
    const custom: LaunchSpec = { name: 'x', amiFamily: { kind: 'custom', amiId: 'ami-0123456789abcdef0', userData: '#!/bin/sh\necho hi\n' } };
    expect(fromBase64(renderUserData(custom, cluster, 'spot'))).toBe('#!/bin/sh\necho hi\n');
  });
});

describe('user data with cdktf tokens', () => {
  function launchTemplateUserData(s: LaunchSpec): string {
    const out = synth((scope) => {
      const v = (name: string) => new TerraformVariable(scope, name, { type: 'string' }).stringValue;
      const tokens = { clusterName: v('name'), endpoint: v('endpoint'), certificateAuthorityData: v('ca'), serviceIpv4Cidr: v('cidr') };
      new LaunchTemplate(scope, 'lt', { userData: renderUserData(s, tokens, 'spot') });
    });
    return out.resource.aws_launch_template.lt.user_data as string;
  }

  it('lets Terraform encode AL2023 text so the references resolve', () => {
    const userData = launchTemplateUserData(spec);
    expect(userData.startsWith('${base64encode("MIME-Version: 1.0\\n')).toBe(true);
    expect(userData).toContain('apiServerEndpoint: ${var.endpoint}\\n');
    expect(userData).toContain('certificateAuthority: ${var.ca}\\n');
    expect(userData).toContain('boundary=\\"');
  });

  it('derives the Bottlerocket DNS IP in Terraform', () => {
    expect(launchTemplateUserData({ name: 'x', amiFamily: { kind: 'bottlerocket' } })).toContain('cluster-dns-ip = \\"${cidrhost(var.cidr, 10)}\\"');
  });

  it('escapes HCL string syntax in literal text', () => {
    expect(hclQuotedLiteral('a "q" \\ %{if} \r')).toBe('a \\"q\\" \\\\ %%{if} \\r');
  });
});
