import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closest } from '../../constructs/closest';
import { KARPENTER_MAX_KUBERNETES, KUBERNETES_VERSIONS, kubernetesSupport, LOG_RETENTION_DAYS, subnetPlan } from '../../constructs/platform/aws-values';
import { KARPENTER_VERSION } from '../../constructs/capacity/engines/karpenter/version';
import { contextArguments, readCdktfContext } from '../../constructs/platform/cdktf-context';
import { envVarName, loadPlatformConfig, PLATFORM_CONFIG_KEYS, PlatformConfigError, validatePlatformConfig } from '../../constructs/platform/config';
import { readFileSync } from 'node:fs';

const load = (context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, today = '2026-12-01') => loadPlatformConfig(context, env, { today, warn: () => undefined });
const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof PlatformConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a PlatformConfigError');
};

describe('strict config sources', () => {
  it.each([
    ['SPOT_EKS_AZCOUNT', '1', 'SPOT_EKS_AZ_COUNT'],
    ['SPOT_EKS_CAPACITY', 'asg', 'SPOT_EKS_CAPACITY_ENGINE'],
    ['SPOT_EKS_CLUSTERNAME', 'x', 'SPOT_EKS_CLUSTER_NAME'],
  ])('rejects the unknown variable %s=%s, suggesting %s', (name, value, suggestion) => {
    const [problem] = problems(() => load({}, { [name]: value }));
    expect(problem).toContain(`unknown setting "${name}"; did you mean "${suggestion}"?`);
  });

  it('lets through SPOT_EKS_BUNDLE_FROM_SOURCE, the constructs\' own switch (README "library"), and nothing near it', () => {
    expect(() => load({}, { SPOT_EKS_BUNDLE_FROM_SOURCE: '1' })).not.toThrow();
    expect(problems(() => load({}, { SPOT_EKS_BUNDLE_FROM_SOURCES: '1' }))[0]).toContain('unknown setting "SPOT_EKS_BUNDLE_FROM_SOURCES"');
  });

  it('rejects unknown context keys, naming the source and the closest key', () => {
    const [problem] = problems(() => loadPlatformConfig({ azCuont: 2 }, {}, { contextOrigin: { azCuont: 'cdktf.json context' } }));
    expect(problem).toMatch(/^azCuont \(from cdktf.json context\): unknown setting "azCuont"; did you mean "azCount"\?/);
  });

  it('derives strictness for every field: a misspelt context key or variable of each suggests it', () => {
    for (const key of PLATFORM_CONFIG_KEYS) {
      expect(problems(() => load({ [`${key}x`]: 1 }))[0]).toContain(`did you mean "${key}"?`);
      expect(problems(() => load({}, { [`${envVarName(key)}X`]: '1' }))[0]).toContain(`did you mean "${envVarName(key)}"?`);
    }
  });

  it('documents every field and its variable in the README configuration table', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Development'));
    for (const key of PLATFORM_CONFIG_KEYS) expect({ key, documented: table.includes(`\`${key}\``) }).toEqual({ key, documented: true });
  });

  it("ignores cdktf's own context keys", () => {
    expect(load({ cdktfRelativeModules: [], cdktfVersion: '0.21.0', clusterName: 'prod' }).clusterName).toBe('prod');
  });

  it('parses -c strings by the field type (number, boolean, list, launch specs as JSON)', () => {
    const c = load({ azCount: '2', nodeManagerDrain: 'false', publicAccessCidrs: '203.0.113.0/24', launchSpecs: '[{"name":"batch","maxSize":4}]' });
    expect(c).toMatchObject({ azCount: 2, nodeManagerDrain: false, publicAccessCidrs: ['203.0.113.0/24'], launchSpecs: [{ name: 'batch', maxSize: 4 }] });
  });

  it('rejects misspelt launch-spec fields at any depth, with the closest field', () => {
    const found = problems(() => load({}, { SPOT_EKS_LAUNCH_SPECS: JSON.stringify([{ name: 'gpu', lables: {}, maxsize: 2, taints: [{ key: 'a', effect: 'NoSchedule', valeu: 'x' }] }]) }));
    expect(found.join('\n')).toMatch(/launchSpecs \(from SPOT_EKS_LAUNCH_SPECS\): \[0\]\.lables: unknown setting "lables"; did you mean "labels"\?/);
    expect(found.join('\n')).toMatch(/\[0\]\.maxsize: .*did you mean "maxSize"/);
    expect(found.join('\n')).toMatch(/\[0\]\.taints\[0\]\.valeu: .*did you mean "value"/);
  });

  it('runs the launch-spec checks on config launch specs', () => {
    expect(problems(() => load({ launchSpecs: [{ name: 'Bad Name' }] })).join('\n')).toMatch(/launchSpecs.*not a valid name/);
  });
});

describe('values AWS accepts', () => {
  it.each([
    [{ logRetentionDays: 366 }, 'logRetentionDays', 'CloudWatch Logs accepts: 1, 3, 5'],
    [{ vpcCidr: '10.0.0.0/24' }, 'vpcCidr', "/30 public and /27 private subnets, and AWS's smallest subnet is /28"],
    [{ vpcCidr: '10.0.0.0/12' }, 'vpcCidr', '/16 to /28'],
    [{ vpcCidr: '10.0.0.1/16' }, 'vpcCidr', 'network address 10.0.0.0/16'],
    [{ existingVpcId: 'vpc-01234567', existingPrivateSubnetIds: ['subnet-01234567'] }, 'existingPrivateSubnetIds', 'at least two different subnet ids'],
    [{ existingVpcId: 'vpc-01234567', existingPrivateSubnetIds: ['subnet-01234567', 'subnet-01234567'] }, 'existingPrivateSubnetIds', 'at least two different'],
    [{ kubernetesVersion: '1.99' }, 'kubernetesVersion', 'EKS offers: 1.35, 1.34'],
    [{ region: 'nowhere' }, 'region', 'AWS region EKS runs in'],
    [{ stateRegion: 'nowhere' }, 'stateRegion', 'AWS region EKS runs in (the state bucket)'],
    [{ upgradePolicy: 'standard' }, 'upgradePolicy', 'must be one of "STANDARD", "EXTENDED"'],
    [{ datadogSite: 'datadoghq.eu' }, 'datadogSite', '"api.datadoghq.eu"'],
    [{ mackerelAction: 'delete' }, 'mackerelAction', '"maintenance", "retire"'],
  ])('rejects %j naming %s and what AWS accepts', (input, field, accepted) => {
    const [problem] = problems(() => validatePlatformConfig(input));
    expect(problem.startsWith(field)).toBe(true);
    expect(problem).toContain(accepted);
  });

  it('accepts exactly the CloudWatch retention values from 1 to 3653 days', () => {
    const accepted: number[] = [];
    for (let days = 1; days <= 3654; days++) {
      try {
        validatePlatformConfig({ logRetentionDays: days });
        accepted.push(days);
      } catch (error) {
        expect((error as PlatformConfigError).problems).toEqual([expect.stringMatching(/^logRetentionDays: must be one of/)]);
      }
    }
    expect(accepted).toEqual([...LOG_RETENTION_DAYS]);
  });

  it('derives subnet sizes: /22 is the smallest VPC whose public subnets are still /28', () => {
    expect(subnetPlan('10.0.0.0/16')).toEqual({ privatePrefix: 19, publicPrefix: 22, problems: [] });
    expect(subnetPlan('10.0.0.0/22')).toEqual({ privatePrefix: 25, publicPrefix: 28, problems: [] });
    expect(subnetPlan('10.0.0.0/23').problems).toHaveLength(1);
  });

  it('keeps the version table ordered and its default in standard support on 2026-12-01', () => {
    for (const row of KUBERNETES_VERSIONS) {
      expect(row.eksRelease < row.endOfStandardSupport && row.endOfStandardSupport < row.endOfExtendedSupport).toBe(true);
    }
    expect(kubernetesSupport(validatePlatformConfig({}).kubernetesVersion, '2026-12-01').status).toBe('standard');
  });

  it('warns for a version past standard support, saying what the upgrade policy does', () => {
    const warnings: string[] = [];
    const warn = (m: string) => m.includes('standard support') && warnings.push(m);
    loadPlatformConfig({ kubernetesVersion: '1.33' }, {}, { today: '2026-12-01', warn });
    expect(warnings).toEqual([expect.stringMatching(/1\.33 left EKS standard support on 2026-07-29; with upgradePolicy STANDARD/)]);
    loadPlatformConfig({ kubernetesVersion: '1.33', upgradePolicy: 'EXTENDED' }, {}, { today: '2026-12-01', warn });
    expect(warnings[1]).toMatch(/upgradePolicy EXTENDED the cluster is billed at the extended-support rate until 2027-07-29/);
    loadPlatformConfig({ kubernetesVersion: '1.35' }, {}, { today: '2026-12-01', warn });
    expect(warnings).toHaveLength(2);
  });

  it("warns when the Kubernetes version is newer than the pinned Karpenter supports, only with Karpenter", () => {
    const max = KARPENTER_MAX_KUBERNETES[KARPENTER_VERSION.split('.').slice(0, 2).join('.')];
    expect(max).toBeDefined();
    const warningsFor = (kubernetesVersion: string, capacityEngine: 'karpenter' | 'asg') => {
      const warnings: string[] = [];
      loadPlatformConfig({ kubernetesVersion, capacityEngine }, {}, { today: '2026-01-01', warn: (m) => warnings.push(m) });
      return warnings.filter((w) => w.includes('Karpenter'));
    };
    expect(warningsFor(max, 'karpenter')).toEqual([]);
    const newer = KUBERNETES_VERSIONS.find((r) => Number(r.version.split('.')[1]) > Number(max.split('.')[1]));
    if (newer) {
      expect(warningsFor(newer.version, 'karpenter')).toEqual([expect.stringContaining(`Karpenter ${KARPENTER_VERSION} supports Kubernetes up to ${max}, not ${newer.version}`)]);
      expect(warningsFor(newer.version, 'asg')).toEqual([]);
    }
  });

  it('fails for a version past extended support', () => {
    expect(problems(() => load({ kubernetesVersion: '1.31' }, {}, '2026-12-01'))[0]).toMatch(/^kubernetesVersion \(from context\): 1\.31 reached the end of extended support on 2026-11-26/);
  });
});

describe('context as cdktf passes it', () => {
  it('reads -c / --context key=value pairs', () => {
    expect(contextArguments(['synth', '-c', 'clusterName=prod', '--context=azCount=2', '-c=region=eu-west-2', '--hcl'])).toEqual({ clusterName: 'prod', azCount: '2', region: 'eu-west-2' });
    expect(() => contextArguments(['-c', 'clusterName'])).toThrow(/key=value/);
  });

  it('layers cdktf.json context < CDKTF_CONTEXT_JSON < -c, recording each origin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctx-'));
    writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ context: { clusterName: 'file', region: 'eu-west-1', azCount: 3 } }));
    const ctx = readCdktfContext({ cwd: dir, env: { CDKTF_CONTEXT_JSON: '{"region":"eu-west-2","azCount":2,"cdktfRelativeModules":[]}' }, argv: ['-c', 'azCount=4'] });
    expect(ctx.values).toEqual({ clusterName: 'file', region: 'eu-west-2', azCount: '4' });
    expect(ctx.origin).toEqual({ clusterName: 'cdktf.json context', region: 'CDKTF_CONTEXT_JSON', azCount: '-c azCount=4' });
  });

  it('rejects CDKTF_CONTEXT_JSON that is not a JSON object', () => {
    expect(() => readCdktfContext({ cwd: tmpdir(), env: { CDKTF_CONTEXT_JSON: '[1]' }, argv: [] })).toThrow(/CDKTF_CONTEXT_JSON must be a JSON object/);
  });

  it('suggests the closest name only when it is close', () => {
    expect(closest('lables', ['labels', 'taints'])).toBe('labels');
    expect(closest('zzzzzz', ['labels', 'taints'])).toBeUndefined();
  });
});
