/**
 * The published artifact works: `npm pack` (prepack builds dist/), install the tarball with its peer
 * dependencies into an empty project OUTSIDE the repository, and synthesize examples/existing-cluster
 * there. Slow (a real npm install): run with `npm run test:package`, not part of `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZipEntry } from './support/zip';

jest.setTimeout(15 * 60_000);

const repo = join(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));

/** The child npm must not inherit the outer `npm run`'s idea of which project it is in. */
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_(package|lifecycle)_|npm_config_(local_prefix|prefix|global_prefix)$|INIT_CWD$)/i.test(key)),
);
const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync(command, args, { cwd, env: { ...childEnv, CHECKPOINT_DISABLE: '1', ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });

interface PackResult { filename: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] }

describe('the packed spot-ready-eks artifact', () => {
  const work = mkdtempSync(join(tmpdir(), 'spot-ready-eks-consumer-'));
  const consumer = join(work, 'consumer');
  const outdir = join(work, 'cdktf.out');
  let pack: PackResult;
  let stacks: Record<string, any>;

  beforeAll(() => {
    // prepack runs the build; its output precedes npm's JSON on stdout.
    const stdout = run('npm', ['pack', '--json', '--pack-destination', work], repo);
    pack = JSON.parse(stdout.slice(stdout.search(/^\[/m)))[0];
    console.log(`tarball ${pack.filename}: ${(pack.size / 1024).toFixed(1)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(1)} KiB unpacked, ${pack.entryCount} files`);

    const peers: Record<string, string> = manifest.peerDependencies;
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({
      name: 'spot-ready-eks-consumer',
      version: '1.0.0',
      private: true,
      dependencies: { 'spot-ready-eks': `file:${join(work, pack.filename)}`, ...peers, tsx: manifest.devDependencies.tsx },
    }, null, 2));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], consumer);

    copyFileSync(join(repo, 'examples/existing-cluster/main.ts'), join(consumer, 'main.ts'));
    run('npx', ['--no', 'tsx', 'main.ts'], consumer, { CDKTF_OUTDIR: outdir });
    stacks = Object.fromEntries(readdirSync(join(outdir, 'stacks')).map((s) => [s, JSON.parse(readFileSync(join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8'))]));
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds no tests, snapshots or synth output', () => {
    const paths = pack.files.map((f) => f.path);
    expect(paths.filter((p) => /(^|\/)(__tests__|__snapshots__|cdktf\.out|examples)\/|\.test\.[jt]s$|\.tgz$/.test(p))).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['dist/constructs/index.js', 'dist/constructs/index.d.ts', 'lambda/termination-handler/index.ts']));
  });

  it('installs as a consumer would: main and types from dist/, CommonJS', () => {
    const installed = join(consumer, 'node_modules/spot-ready-eks');
    expect(existsSync(join(installed, 'dist/constructs/index.js'))).toBe(true);
    expect(readFileSync(join(installed, 'dist/constructs/index.js'), 'utf8')).toMatch(/exports\./);
  });

  it('synthesizes examples/existing-cluster: the Lambda with its asset, and no cluster', () => {
    expect(Object.keys(stacks).sort()).toEqual(['interruption-aws', 'interruption-kubernetes']);
    const functions = Object.values(stacks['interruption-aws'].resource.aws_lambda_function) as any[];
    expect(functions).toHaveLength(1);
    expect(functions[0]).toMatchObject({ runtime: 'nodejs22.x', filename: expect.stringMatching(/^assets\/.+\.zip$/) });
    expect(existsSync(join(outdir, 'stacks/interruption-aws', functions[0].filename))).toBe(true);
    for (const tf of Object.values(stacks)) expect(tf.resource?.aws_eks_cluster).toBeUndefined();
  });

  it('bundles the Lambda from node_modules/spot-ready-eks, with its dependencies from the consumer', () => {
    const fn = Object.values(stacks['interruption-aws'].resource.aws_lambda_function)[0] as any;
    const archive = join(outdir, 'stacks/interruption-aws', fn.filename);
    // Map sources are relative to the package root: node_modules/spot-ready-eks.
    const sources: string[] = JSON.parse(readZipEntry(archive, 'index.js.map').toString('utf8')).sources;
    expect(sources).toContain('lambda/termination-handler/index.ts');
    for (const dependency of ['@aws-sdk/client-ec2', '@aws-lambda-powertools/logger', 'zod']) {
      expect(sources.some((s) => s.startsWith(`../${dependency}/`))).toBe(true);
    }
    expect(sources.filter((s) => s.includes(repo) || s.startsWith('../../'))).toEqual([]);
  });
});
