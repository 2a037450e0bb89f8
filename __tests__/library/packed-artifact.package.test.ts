/**
 * The published artifact works: `npm pack` (prepack builds dist/, with the prebuilt assets), install
 * the tarball with ONLY its peer dependencies into an empty project OUTSIDE the repository, and
 * synthesize examples/existing-cluster there with plain `node` (the example transpiled here) — no
 * esbuild, AWS SDK or Kubernetes client anywhere in the consumer's tree. Prints the consumer's
 * install size and time, and `require('spot-ready-eks')` against the provider-aws index (target ≤ 0.1×).
 * Slow (a real npm install): run with `npm run test:package`, not part of `npm test`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { transformSync } from 'esbuild';
import { ASSETS_DIR, ASSETS_MANIFEST, sha256, type AssetsManifest } from '../../constructs/assets/prebuilt';

const repo = join(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
/** What the cdktf docs and template import (all ~2,200 resources), as the yardstick for our require time. */
const PROVIDER_AWS_INDEX = '@cdktf/provider-aws';
/** Bundled into the prebuilt assets, so never a dependency of the published package. */
const BUNDLED_ONLY = /^(esbuild|@aws-sdk\/.*|@aws-lambda-powertools\/.*|@kubernetes\/client-node|prom-client)$/;

/** The child npm must not inherit the outer `npm run`'s idea of which project it is in. */
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_(package|lifecycle)_|npm_config_(local_prefix|prefix|global_prefix)$|INIT_CWD$|SPOT_EKS_)/i.test(key)),
);
const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync(command, args, { cwd, env: { ...childEnv, CHECKPOINT_DISABLE: '1', ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });

function treeBytes(dir: string): { bytes: number; packages: number } {
  let bytes = 0;
  let packages = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        bytes += statSync(p).size;
        if (e.name === 'package.json' && basename(join(d, '..')) === 'node_modules') packages++;
        else if (e.name === 'package.json' && basename(join(d, '../..')) === 'node_modules' && basename(join(d, '..')).startsWith('@')) packages++;
      }
    }
  };
  walk(dir);
  return { bytes, packages };
}

/** Best of `n` in-process times of `require(id)` in the consumer (node start-up not included). */
function requireMs(cwd: string, id: string, n = 3): number {
  const script = `const t = performance.now(); require(${JSON.stringify(id)}); process.stdout.write(String(performance.now() - t));`;
  return Math.min(...Array.from({ length: n }, () => Number(run(process.execPath, ['-e', script], cwd))));
}

interface PackResult { filename: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] }

describe('the packed spot-ready-eks artifact', () => {
  const work = mkdtempSync(join(tmpdir(), 'spot-ready-eks-consumer-'));
  const consumer = join(work, 'consumer');
  const outdir = join(work, 'cdktf.out');
  const installed = join(consumer, 'node_modules/spot-ready-eks');
  let pack: PackResult;
  let packed: Record<string, any>;
  let stacks: Record<string, any>;

  beforeAll(() => {
    // prepack runs the build; its output precedes npm's JSON on stdout.
    const stdout = run('npm', ['pack', '--json', '--pack-destination', work], repo);
    pack = JSON.parse(stdout.slice(stdout.search(/^\[/m)))[0];
    console.log(`tarball ${pack.filename}: ${(pack.size / 1024).toFixed(1)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(1)} KiB unpacked, ${pack.entryCount} files`);

    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({
      name: 'spot-ready-eks-consumer',
      version: '1.0.0',
      private: true,
      dependencies: { 'spot-ready-eks': `file:${join(work, pack.filename)}`, ...manifest.peerDependencies },
    }, null, 2));
    const start = performance.now();
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], consumer);
    const installMs = performance.now() - start;
    const tree = treeBytes(join(consumer, 'node_modules'));
    const own = treeBytes(installed);
    console.log(`consumer install (the package + its peers): ${(installMs / 1000).toFixed(1)} s, ${tree.packages} packages, ${(tree.bytes / 2 ** 20).toFixed(0)} MiB of node_modules (spot-ready-eks itself ${(own.bytes / 2 ** 20).toFixed(1)} MiB)`);
    packed = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));

    const [ours, index] = [requireMs(consumer, 'spot-ready-eks'), requireMs(consumer, PROVIDER_AWS_INDEX)];
    console.log(`require('spot-ready-eks') ${ours.toFixed(0)} ms vs require('${PROVIDER_AWS_INDEX}') ${index.toFixed(0)} ms: ${(ours / index).toFixed(3)}× (target ≤ 0.1×)`);

    // The example as a consumer's plain CommonJS app: no tsx (which would bring esbuild along).
    const example = readFileSync(join(repo, 'examples/existing-cluster/main.ts'), 'utf8');
    writeFileSync(join(consumer, 'main.js'), transformSync(example, { loader: 'ts', sourcefile: 'main.ts', target: 'es2022', format: 'cjs' }).code);
    run(process.execPath, ['main.js'], consumer, { CDKTF_OUTDIR: outdir });
    stacks = Object.fromEntries(readdirSync(join(outdir, 'stacks')).map((s) => [s, JSON.parse(readFileSync(join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8'))]));
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds no tests, snapshots or synth output', () => {
    const paths = pack.files.map((f) => f.path);
    expect(paths.filter((p) => /(^|\/)(__tests__|__snapshots__|cdktf\.out|examples)\/|\.test\.[jt]s$|\.tgz$/.test(p))).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['dist/constructs/index.js', 'dist/constructs/index.d.ts', 'lambda/termination-handler/index.ts', `${ASSETS_DIR}/${ASSETS_MANIFEST}`]));
  });

  it('depends on none of what the prebuilt bundles contain; the consumer tree has none of it either', () => {
    const named = Object.keys({ ...packed.dependencies, ...packed.peerDependencies, ...packed.optionalDependencies });
    expect(named.filter((name) => BUNDLED_ONLY.test(name))).toEqual([]);
    for (const name of ['esbuild', '@aws-sdk/client-ec2', '@kubernetes/client-node', '@aws-lambda-powertools/logger']) {
      expect(existsSync(join(consumer, 'node_modules', name))).toBe(false);
    }
  });

  it('ships each prebuilt asset under its content hash, identical to a fresh build from source', () => {
    const assets: AssetsManifest = JSON.parse(readFileSync(join(installed, ASSETS_DIR, ASSETS_MANIFEST), 'utf8'));
    const lambda = assets.assets['termination-handler']!;
    const zip = readFileSync(join(installed, ASSETS_DIR, lambda.file));
    expect(sha256(zip)).toBe(lambda.sha256);
    expect(lambda.file).toBe(`termination-handler.${lambda.sha256.slice(0, 12)}.zip`);
    const daemon = assets.assets['node-manager']!;
    for (const [name, hash] of Object.entries(daemon.files!)) expect(sha256(readFileSync(join(installed, ASSETS_DIR, daemon.file, name)))).toBe(hash);
    expect(Object.keys(daemon.files!)).toEqual(expect.arrayContaining(['main.js', 'drain.js']));
    // Rebuilt from source into a temporary folder, byte for byte what prepack put in the tarball.
    expect(run('npx', ['tsx', 'scripts/build-assets.ts', '--check'], repo)).toMatch(/identical to a fresh build from source/);
  });

  it('loads no construct or provider module until one is used', () => {
    const script = `const m = require('spot-ready-eks'); const loaded = () => Object.keys(require.cache).filter((f) => f.includes('provider-aws')).length;
      const before = loaded(); m.TerminationHandler; console.log(JSON.stringify({ before, after: loaded() }));`;
    const { before, after } = JSON.parse(run(process.execPath, ['-e', script], consumer));
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
  });

  it('synthesizes examples/existing-cluster with the prebuilt Lambda zip, and no cluster', () => {
    expect(Object.keys(stacks).sort()).toEqual(['interruption-aws', 'interruption-kubernetes']);
    const functions = Object.values(stacks['interruption-aws'].resource.aws_lambda_function) as any[];
    expect(functions).toHaveLength(1);
    expect(functions[0]).toMatchObject({ runtime: 'nodejs22.x', filename: expect.stringMatching(/^assets\/.+\/termination-handler\.[0-9a-f]{12}\.zip$/) });
    const assets: AssetsManifest = JSON.parse(readFileSync(join(installed, ASSETS_DIR, ASSETS_MANIFEST), 'utf8'));
    const synthesized = readFileSync(join(outdir, 'stacks/interruption-aws', functions[0].filename));
    expect(sha256(synthesized)).toBe(assets.assets['termination-handler']!.sha256);
    for (const tf of Object.values(stacks)) expect(tf.resource?.aws_eks_cluster).toBeUndefined();
  });

  it('rebuilding from source is an opt-in that names what it needs when esbuild is absent', () => {
    const result = spawnSync(process.execPath, ['main.js'], { cwd: consumer, env: { ...childEnv, CDKTF_OUTDIR: join(work, 'from-source'), SPOT_EKS_BUNDLE_FROM_SOURCE: '1' }, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/needs esbuild, which is not installed\. Fix: `npm install --save-dev esbuild`/);
  });
});
