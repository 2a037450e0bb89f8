/**
 * main.ts as a user runs it: bad settings exit non-zero, name the field and what AWS accepts, and
 * write nothing; good context reaches the stacks; `--hcl` output is formatted HCL describing the
 * same resources as the JSON output.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '../..');
const tsx = join(repo, 'node_modules/.bin/tsx');
const hasTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

function synth(args: string[], env: NodeJS.ProcessEnv = {}) {
  const outdir = join(mkdtempSync(join(tmpdir(), 'synth-cli-')), 'cdktf.out');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPOT_EKS_') && k !== 'CDKTF_CONTEXT_JSON' && k !== 'SYNTH_HCL_OUTPUT'));
  const run = spawnSync(tsx, ['main.ts', ...args], { cwd: repo, encoding: 'utf8', env: { ...clean, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: outdir, ...env } });
  return { ...run, outdir };
}

describe('main.ts refuses bad settings before writing anything', () => {
  it.each([
    ['SPOT_EKS_AZCOUNT=1', { SPOT_EKS_AZCOUNT: '1' }, [], /SPOT_EKS_AZCOUNT: unknown setting .*did you mean "SPOT_EKS_AZ_COUNT"/],
    ['SPOT_EKS_CAPACITY=asg', { SPOT_EKS_CAPACITY: 'asg' }, [], /did you mean "SPOT_EKS_CAPACITY_ENGINE"/],
    ['log retention 366', { SPOT_EKS_LOG_RETENTION_DAYS: '366' }, [], /logRetentionDays \(from SPOT_EKS_LOG_RETENTION_DAYS\): must be one of .*365, 400/],
    ['a /24 VPC', { SPOT_EKS_VPC_CIDR: '10.0.0.0/24' }, [], /vpcCidr .*\/30 public .*smallest subnet is \/28/],
    ['one existing subnet', { SPOT_EKS_EXISTING_VPC_ID: 'vpc-01234567', SPOT_EKS_EXISTING_PRIVATE_SUBNET_IDS: 'subnet-01234567' }, [], /existingPrivateSubnetIds .*at least two different subnet ids/],
    ['Kubernetes 1.99', { SPOT_EKS_KUBERNETES_VERSION: '1.99' }, [], /kubernetesVersion .*EKS offers: 1\.35/],
    ['state region nowhere', { SPOT_EKS_STATE_REGION: 'nowhere' }, [], /stateRegion .*AWS region EKS runs in/],
    ['region nowhere (-c)', {}, ['-c', 'region=nowhere'], /region \(from -c region=nowhere\): must be an AWS region/],
    ['unknown context key (CDKTF_CONTEXT_JSON)', { CDKTF_CONTEXT_JSON: '{"clusterNmae":"x"}' }, [], /clusterNmae \(from CDKTF_CONTEXT_JSON\).*did you mean "clusterName"/],
    ['misspelt launch-spec field', { SPOT_EKS_LAUNCH_SPECS: '[{"name":"gpu","lables":{"a":"b"}}]' }, [], /lables.*did you mean "labels"/],
  ])('%s', (_name, env, args, message) => {
    const run = synth(args as string[], env as NodeJS.ProcessEnv);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(existsSync(run.outdir)).toBe(false);
  });
});

describe('main.ts with good settings', () => {
  it('honours -c and CDKTF_CONTEXT_JSON (-c wins), and SPOT_EKS_* over both', () => {
    const run = synth(['-c', 'clusterName=from-c'], { CDKTF_CONTEXT_JSON: '{"clusterName":"from-json","azCount":2}' });
    expect(run.status).toBe(0);
    const cluster = JSON.parse(readFileSync(join(run.outdir, 'stacks/cluster/cdk.tf.json'), 'utf8'));
    expect(Object.values(cluster.resource.aws_eks_cluster)).toEqual([expect.objectContaining({ name: 'from-c' })]);
    expect(Object.keys(cluster.resource.aws_subnet)).toHaveLength(4);
    rmSync(run.outdir, { recursive: true });
  });

  (hasTerraform ? it : it.skip)('writes HCL that passes terraform fmt -check and describes the same blocks and JSON bodies as the JSON output', () => {
    const json = synth([]);
    const hcl = synth([], { SYNTH_HCL_OUTPUT: 'true' });
    expect([json.status, hcl.status]).toEqual([0, 0]);
    for (const stack of ['cluster', 'crds', 'workloads']) {
      const dir = join(hcl.outdir, 'stacks', stack);
      const fmt = spawnSync('terraform', ['fmt', '-check', '-no-color', dir], { encoding: 'utf8' });
      expect({ stack, status: fmt.status, unformatted: fmt.stdout }).toEqual({ stack, status: 0, unformatted: '' });
      const text = readFileSync(join(dir, 'cdk.tf'), 'utf8');
      const tf = JSON.parse(readFileSync(join(json.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      const blocks = [...text.matchAll(/^(resource|data) "([^"]+)" "([^"]+)"/gm)].map((m) => `${m[1]}.${m[2]}.${m[3]}`).sort();
      const jsonBlocks = (['resource', 'data'] as const).flatMap((kind) => Object.entries(tf[kind] ?? {}).flatMap(([type, byName]) => Object.keys(byName as object).map((name) => `${kind}.${type}.${name}`))).sort();
      expect(blocks).toEqual(jsonBlocks);
      expect(blocks.length).toBeGreaterThan({ cluster: 50, crds: 1, workloads: 5 }[stack]!);
      // Every JSON document (policies, patterns, dashboard) is a heredoc with exactly the JSON output's text.
      const heredocs = [...text.matchAll(/<<EOF\n([\s\S]*?)\nEOF/g)].map((m) => m[1]).sort();
      const multiline: string[] = [];
      const walk = (v: unknown): void => {
        if (typeof v === 'string' && v.includes('\n') && v.trimStart().startsWith('{')) multiline.push(v);
        else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => k !== '//' && walk(x));
      };
      walk(tf);
      expect(heredocs.filter((h) => h.startsWith('{'))).toEqual(multiline.sort());
      expect(multiline.length).toBeGreaterThanOrEqual({ cluster: 10, crds: 0, workloads: 1 }[stack]!);
    }
  });
});

describe('the cdktf CLI passes -c and CDKTF_CONTEXT_JSON through to the apps', () => {
  const cdktf = join(repo, 'node_modules/.bin/cdktf');
  const clean = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPOT_EKS_') && k !== 'CDKTF_CONTEXT_JSON' && k !== 'CDKTF_OUTDIR'));
  const names = (file: string, type: string) => Object.values(JSON.parse(readFileSync(file, 'utf8')).resource?.[type] ?? {}).map((r: any) => r.name ?? r.cluster_name);

  it.each([
    ['main.ts', repo, 'stacks/cluster/cdk.tf.json', 'aws_eks_cluster'],
    ['examples/existing-cluster', join(repo, 'examples/existing-cluster'), 'stacks/interruption-kubernetes/cdk.tf.json', 'aws_eks_pod_identity_association'],
  ])('%s: `cdktf synth -c clusterName=…` and CDKTF_CONTEXT_JSON', (_app, cwd, file, type) => {
    const out = join(mkdtempSync(join(tmpdir(), 'cdktf-cli-')), 'out');
    const run = spawnSync(cdktf, ['synth', '-c', 'clusterName=via-c', '-o', out], {
      cwd, encoding: 'utf8', env: { ...clean(), CHECKPOINT_DISABLE: '1', CDKTF_CONTEXT_JSON: '{"region":"eu-west-2"}' },
    });
    expect(run.status).toBe(0);
    expect(names(join(out, file), type)).toEqual(['via-c']);
    expect(readFileSync(join(out, file), 'utf8')).toContain('"region": "eu-west-2"');
    const bad = spawnSync(cdktf, ['synth', '-c', 'clusterNam=x', '-o', `${out}-bad`], { cwd, encoding: 'utf8', env: { ...clean(), CHECKPOINT_DISABLE: '1' } });
    expect(bad.status).not.toBe(0);
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/clusterNam \(from -c clusterNam=x\): unknown setting "clusterNam"; did you mean "clusterName"/);
    expect(existsSync(`${out}-bad`)).toBe(false);
  });
});
