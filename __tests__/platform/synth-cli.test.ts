/**
 * main.ts as a user runs it. Three real processes, started together:
 * - `cdktf synth -c clusterName=via-c` with CDKTF_CONTEXT_JSON: the CLI passes both to the app
 *   (cdktf.json "app"); JSON out, the Lambda zip beside the cluster stack;
 * - `npm run synth`'s command (`node --import tsx main.ts`) with the same context and
 *   SYNTH_HCL_OUTPUT: formatted HCL describing the same blocks and JSON bodies as the CLI's JSON;
 * - main.ts with bad settings from every source at once: exit 1, every problem named, nothing written.
 * Each source's message is checked in-process, through the calls main.ts makes.
 */
import { execFile, spawnSync, type ExecFileException } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCdktfContext } from '../../constructs/platform/cdktf-context';
import { loadPlatformConfig } from '../../constructs/platform/config';

const repo = join(__dirname, '../..');
const hasTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
const CONTEXT_JSON = '{"region":"eu-west-2","azCount":2}';

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outdir: string;
}

/** Runs `command` in the repository with the user's settings cleared; resolves when it exits. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const outdir = join(mkdtempSync(join(tmpdir(), 'synth-cli-')), 'cdktf.out');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPOT_EKS_') && !['CDKTF_CONTEXT_JSON', 'CDKTF_OUTDIR', 'SYNTH_HCL_OUTPUT'].includes(k)));
  const argv = args.map((a) => a.replace('{outdir}', outdir));
  return new Promise((resolve) => {
    execFile(command, argv, { cwd: repo, encoding: 'utf8', env: { ...clean, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: outdir, ...env }, timeout: 60_000 }, (error: ExecFileException | null, stdout, stderr) =>
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr, outdir }),
    );
  });
}

const cdktf = join(repo, 'node_modules/.bin/cdktf');
let cli: Promise<Run>;
let direct: Promise<Run>;
let bad: Promise<Run>;
beforeAll(() => {
  cli = run(cdktf, ['synth', '-c', 'clusterName=via-c', '-o', '{outdir}'], { CDKTF_CONTEXT_JSON: CONTEXT_JSON });
  direct = run(process.execPath, ['--import', 'tsx', 'main.ts', '-c', 'clusterName=via-c'], { CDKTF_CONTEXT_JSON: CONTEXT_JSON, SYNTH_HCL_OUTPUT: 'true' });
  bad = run(process.execPath, ['--import', 'tsx', 'main.ts', '-c', 'region=nowhere', '-c', 'clusterNam=x'], {
    CDKTF_CONTEXT_JSON: '{"clusterNmae":"x"}',
    SPOT_EKS_AZCOUNT: '1',
    SPOT_EKS_PUBLIC_ACCESS_CIDRS: '0.0.0.0/0',
    SPOT_EKS_LOG_RETENTION_DAYS: '366',
  });
});

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('main.ts refuses bad settings from every source', () => {
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
    ['a public endpoint open to the world', { SPOT_EKS_PUBLIC_ACCESS_CIDRS: '0.0.0.0/0' }, [], /publicAccessCidrs \(from SPOT_EKS_PUBLIC_ACCESS_CIDRS\): contains 0\.0\.0\.0\/0: that opens the EKS API endpoint/],
  ])('%s', (_name, env, argv, message) => {
    // main.ts's settings step: the context as the process is given it, then the platform config.
    const settings = () => {
      const context = readCdktfContext({ cwd: repo, env, argv });
      return loadPlatformConfig(context.values, env, { contextOrigin: context.origin });
    };
    expect(settings).toThrow(message);
  });

  it('exits 1 naming every problem, before writing anything', async () => {
    const { status, stderr, outdir } = await bad;
    expect(status).toBe(1);
    for (const message of [
      /clusterNmae \(from CDKTF_CONTEXT_JSON\): unknown setting "clusterNmae"; did you mean "clusterName"/,
      /clusterNam \(from -c clusterNam=x\): unknown setting "clusterNam"; did you mean "clusterName"/,
      /region \(from -c region=nowhere\): must be an AWS region/,
      /SPOT_EKS_AZCOUNT: unknown setting .*did you mean "SPOT_EKS_AZ_COUNT"/,
      /publicAccessCidrs \(from SPOT_EKS_PUBLIC_ACCESS_CIDRS\): contains 0\.0\.0\.0\/0/,
      /logRetentionDays \(from SPOT_EKS_LOG_RETENTION_DAYS\): must be one of/,
    ]) expect(stderr).toMatch(message);
    expect(existsSync(outdir)).toBe(false);
  });
});

describe('the cdktf CLI passes -c and CDKTF_CONTEXT_JSON through to main.ts', () => {
  it('writes every stack with -c winning over CDKTF_CONTEXT_JSON, the Lambda zip beside the cluster stack', async () => {
    const { status, stderr, outdir } = await cli;
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    const cluster = json(join(outdir, 'stacks/cluster/cdk.tf.json'));
    expect(Object.values(cluster.resource.aws_eks_cluster).map((c: any) => c.name)).toEqual(['via-c']);
    expect(cluster.provider.aws).toEqual([expect.objectContaining({ region: 'eu-west-2' })]);
    expect(Object.keys(cluster.resource.aws_subnet)).toHaveLength(4); // azCount 2: a public and a private subnet each
    expect(existsSync(join(outdir, 'stacks/workloads/cdk.tf.json'))).toBe(true);
    const [fn] = Object.values(cluster.resource.aws_lambda_function) as any[];
    expect(fn.filename).toMatch(/^assets\/.+\/termination-handler\.[0-9a-f]{12}\.zip$/);
    expect(existsSync(join(outdir, 'stacks/cluster', fn.filename))).toBe(true);
  });
});

describe('npm run synth with SYNTH_HCL_OUTPUT', () => {
  (hasTerraform ? it : it.skip)('writes HCL that passes terraform fmt -check and describes the same blocks and JSON bodies as the JSON output', async () => {
    const [fromCli, hcl] = await Promise.all([cli, direct]);
    expect([fromCli.status, hcl.status, hcl.stderr]).toEqual([0, 0, '']);
    for (const stack of ['cluster', 'crds', 'workloads']) {
      const dir = join(hcl.outdir, 'stacks', stack);
      const fmt = spawnSync('terraform', ['fmt', '-check', '-no-color', dir], { encoding: 'utf8' });
      expect({ stack, status: fmt.status, unformatted: fmt.stdout }).toEqual({ stack, status: 0, unformatted: '' });
      const text = readFileSync(join(dir, 'cdk.tf'), 'utf8');
      const tf = json(join(fromCli.outdir, 'stacks', stack, 'cdk.tf.json'));
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
    // The direct run read the same context as the CLI's app: -c over CDKTF_CONTEXT_JSON.
    expect(readFileSync(join(hcl.outdir, 'stacks/cluster/cdk.tf'), 'utf8')).toMatch(/^\s*name\s*=\s*"via-c"$/m);
  });
});
