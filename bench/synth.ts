/**
 * `npm run bench -- synth`: the README's main command (`npm run synth`) against the cdktf
 * template's way — `cdktf synth` running `npx ts-node main.ts` that imports the provider index,
 * for ONE resource — in the same run, on the same machine (target: ratio ≤ 0.2).
 *
 * Ours runs in a fresh copy of this checkout (its files as they are now, node_modules linked, no
 * dist/) with an empty temporary folder, so the first synth is a fresh clone's ("cold": the
 * Lambda bundled from source, tsx's transform cache empty); the next ones reuse both ("warm").
 * The template app is written to a temporary folder; its tools (ts-node, TypeScript 5, the cdktf
 * CLI) are installed once into ~/.cache/spot-ready-eks-bench, the first run downloads them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

const repo = join(__dirname, '..');
const nodeModules = realpathSync(join(repo, 'node_modules'));
const cdktfVersion: string = require('cdktf/package.json').version;
const TOOLS = join(homedir(), '.cache', 'spot-ready-eks-bench', `template-tools-${cdktfVersion}`);

/** The child must not inherit the outer `npm run`'s idea of which project it is in. */
const cleanEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|INIT_CWD$|CDKTF_)/i.test(k))),
  CHECKPOINT_DISABLE: '1',
  ...extra,
});

interface Sample { wallMs: number; cpuMs: number }

/**
 * Wall time, and CPU time (user + system of the command and all its children, from bash's `times`)
 * — the CPU figure stays comparable on a busy machine, where wall time is mostly waiting.
 */
function timed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Sample {
  const start = performance.now();
  const script = '"$@" > "$BENCH_LOG" 2>&1 || { cat "$BENCH_LOG" >&2; exit 1; }; times';
  const log = join(cwd, '.bench.log');
  const child = spawnSync('bash', ['-c', script, 'bench', command, ...args], { cwd, env: { ...env, BENCH_LOG: log }, encoding: 'utf8' });
  const wallMs = performance.now() - start;
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd} failed:\n${child.stderr}`);
  // `times` prints the shell's own user/system line, then its children's: "0m1.234s 0m0.120s".
  const seconds = [...child.stdout.trim().split('\n').pop()!.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wallMs, cpuMs: (seconds[0]! + seconds[1]!) * 1000 };
}

const best = (samples: Sample[]): Sample => ({ wallMs: Math.min(...samples.map((x) => x.wallMs)), cpuMs: Math.min(...samples.map((x) => x.cpuMs)) });

function installTemplateTools(): void {
  if (existsSync(join(TOOLS, 'node_modules', '.bin', 'cdktf'))) return;
  console.log(`installing the template's tools once into ${TOOLS} (ts-node, typescript@5, cdktf-cli@${cdktfVersion})…`);
  mkdirSync(TOOLS, { recursive: true });
  writeFileSync(join(TOOLS, 'package.json'), JSON.stringify({ name: 'bench-template-tools', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', 'ts-node@10', 'typescript@5', `cdktf-cli@${cdktfVersion}`, '@types/node@20'], { cwd: TOOLS, env: cleanEnv(), stdio: 'ignore' });
}

const link = (target: string, path: string) => {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
};

/** The provider's index, as the cdktf docs and template import it (all ~2,200 resources). */
const PROVIDER_AWS_INDEX = '@cdktf/provider-aws';

/** `cdktf init --template=typescript`'s app, with the provider index and one S3 bucket. */
function templateApp(dir: string): void {
  const tools = join(TOOLS, 'node_modules');
  for (const pkg of ['cdktf', 'constructs', PROVIDER_AWS_INDEX]) link(join(nodeModules, pkg), join(dir, 'node_modules', pkg));
  for (const pkg of ['ts-node', 'typescript', '@types/node']) link(join(tools, pkg), join(dir, 'node_modules', pkg));
  link('../ts-node/dist/bin.js', join(dir, 'node_modules', '.bin', 'ts-node'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'template-app', private: true }));
  writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'npx ts-node main.ts', projectId: 'bench', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true, inlineSources: true, lib: ['es2018'], module: 'CommonJS',
      noEmitOnError: true, noImplicitAny: true, noImplicitReturns: true, noUnusedLocals: true, strict: true, target: 'ES2018', incremental: true, skipLibCheck: true,
    },
    include: ['**/*.ts'], exclude: ['node_modules', 'cdktf.out'],
  }));
  writeFileSync(join(dir, 'main.ts'), [
    `import { Construct } from "constructs";`,
    `import { App, TerraformStack } from "cdktf";`,
    `import { provider, s3Bucket } from "${PROVIDER_AWS_INDEX}";`,
    ``,
    `class MyStack extends TerraformStack {`,
    `  constructor(scope: Construct, id: string) {`,
    `    super(scope, id);`,
    `    new provider.AwsProvider(this, "aws", { region: "us-east-1" });`,
    `    new s3Bucket.S3Bucket(this, "bucket", { bucketPrefix: "bench" });`,
    `  }`,
    `}`,
    ``,
    `const app = new App();`,
    `new MyStack(app, "app");`,
    `app.synth();`,
  ].join('\n'));
}

/** This checkout's files as they are now (tracked and untracked, not ignored), without dist/ or caches. */
function freshCopy(dir: string): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(repo, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repo, file), join(dir, file));
  }
  symlinkSync(nodeModules, join(dir, 'node_modules'));
}

export async function run(): Promise<void> {
  installTemplateTools();
  const work = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  try {
    const [clone, template, temp] = [join(work, 'clone'), join(work, 'template'), join(work, 'tmp')];
    mkdirSync(clone);
    mkdirSync(template);
    mkdirSync(temp);
    freshCopy(clone);
    templateApp(template);

    const ours = cleanEnv({ TMPDIR: temp }); // empty: no bundle cache, no tsx cache
    const cold = timed('npm', ['run', 'synth'], clone, ours);
    const warm = best([0, 1, 2].map(() => timed('npm', ['run', 'synth'], clone, ours)));
    const tpl = best([0, 1].map(() => timed(join(TOOLS, 'node_modules', '.bin', 'cdktf'), ['synth'], template, cleanEnv())));
    const s = (x: Sample) => `${(x.wallMs / 1000).toFixed(2)} s wall, ${(x.cpuMs / 1000).toFixed(2)} s CPU`;
    const ratio = (a: Sample, b: Sample) => `${(a.wallMs / b.wallMs).toFixed(2)}× wall, ${(a.cpuMs / b.cpuMs).toFixed(2)}× CPU`;
    console.log(`npm run synth (the README's main command; default platform, 2 stacks, Lambda zip):`);
    console.log(`  cold (fresh clone: no dist/, empty bundle and tsx caches): ${s(cold)}`);
    console.log(`  warm (best of 3): ${s(warm)}`);
    console.log(`template way (cdktf synth → npx ts-node main.ts, provider index, 1 resource; best of 2): ${s(tpl)}`);
    console.log(`ratio warm ${ratio(warm, tpl)}; cold ${ratio(cold, tpl)} (target ≤ 0.2×)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
