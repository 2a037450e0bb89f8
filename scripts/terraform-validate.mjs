#!/usr/bin/env node
/**
 * `terraform validate`, offline, of the synthesized AWS-only `cluster` stack, in both the JSON and
 * the HCL (`--hcl`) output, for the configurations in VARIANTS (SPOT_EKS_* of the caller apply too). The project pins hashicorp/aws 6.x; machines without registry access
 * carry a filesystem mirror of 5.100.0, so the check validates a copy pinned to 5.100.0 with the
 * few 6.x-only attributes mapped back (listed in MAPPED_6X_ATTRIBUTES, printed when used).
 *
 *   node scripts/terraform-validate.mjs [--mirror <dir>] [--keep]
 *
 * Skips (exit 0, with the reason) where terraform or the provider mirror is missing; set
 * REQUIRE_TERRAFORM_VALIDATE=1 to make that a failure. Mirror: --mirror (only it), else
 * TF_PROVIDER_MIRROR or the first of the usual places holding registry.terraform.io/hashicorp/aws/5.100.0.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const PROVIDER_VERSION = '5.100.0';
const args = process.argv.slice(2);
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

/** 6.x-only attribute → its 5.x name (the 6.0 upgrade guide lists these renames). */
export const MAPPED_6X_ATTRIBUTES = [
  // aws_region: 6.0 added `region` and deprecated `name`.
  { from: /(data\.aws_region\.[\w-]+)\.region\b/g, to: '$1.name', what: 'data.aws_region.*.region → .name' },
];

function skip(reason) {
  const message = `terraform validate skipped: ${reason}`;
  if (process.env.REQUIRE_TERRAFORM_VALIDATE === '1') {
    console.error(message);
    process.exit(1);
  }
  console.log(message);
  process.exit(0);
}

function run(cmd, argv, options = {}) {
  return spawnSync(cmd, argv, { encoding: 'utf8', ...options, env: { ...process.env, CHECKPOINT_DISABLE: '1', ...options.env } });
}

if (run('terraform', ['version']).error) skip('terraform is not on the PATH (install terraform >= 1.10 to run it)');
const candidates = flag('--mirror') ? [flag('--mirror')] : [process.env.TF_PROVIDER_MIRROR, '/opt/tf-plugins', join(homedir(), '.terraform.d/plugins'), '/usr/share/terraform/plugins', '/usr/local/share/terraform/plugins'];
const mirror = candidates.find((dir) => dir && existsSync(join(dir, 'registry.terraform.io/hashicorp/aws', PROVIDER_VERSION)));
if (!mirror) skip(`no filesystem mirror of hashicorp/aws ${PROVIDER_VERSION} (looked in ${candidates.filter(Boolean).join(', ')}; pass --mirror <dir>)`);

const work = mkdtempSync(join(tmpdir(), 'tf-validate-'));
const used = new Set();
const pin = (text) => MAPPED_6X_ATTRIBUTES.reduce((t, m) => (m.from.test(t) ? (used.add(m.what), t.replace(m.from, m.to)) : t), text);
/** Configurations whose cluster stacks differ in what they declare. */
const VARIANTS = [
  { name: 'default', env: {} },
  { name: 'existing-vpc', env: { SPOT_EKS_EXISTING_VPC_ID: 'vpc-0123456789abcdef0', SPOT_EKS_EXISTING_PRIVATE_SUBNET_IDS: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210' } },
  { name: 'asg', env: { SPOT_EKS_CAPACITY_ENGINE: 'asg' } },
];
// One copy of the provider for every init (terraform links from the cache).
const pluginCache = join(work, 'plugin-cache');
mkdirSync(pluginCache);
let failed = false;
try {
  for (const variant of VARIANTS) for (const format of ['json', 'hcl']) {
    const label = `${variant.name}/${format}`;
    const outdir = join(work, `${variant.name}-${format}-out`);
    const synth = run(join(repo, 'node_modules/.bin/tsx'), ['main.ts'], {
      cwd: repo,
      env: { ...variant.env, CDKTF_OUTDIR: outdir, SYNTH_HCL_OUTPUT: String(format === 'hcl'), CDKTF_CONTEXT_JSON: '' },
    });
    if (synth.status !== 0) throw new Error(`synth (${label}) failed:\n${synth.stderr}`);
    const dir = join(work, `${variant.name}-${format}-cluster`);
    cpSync(join(outdir, 'stacks/cluster'), dir, { recursive: true });
    if (format === 'json') {
      const file = join(dir, 'cdk.tf.json');
      const tf = JSON.parse(pin(readFileSync(file, 'utf8')));
      tf.terraform.required_providers.aws.version = PROVIDER_VERSION;
      writeFileSync(file, JSON.stringify(tf, null, 2));
    } else {
      const file = join(dir, 'cdk.tf');
      const text = pin(readFileSync(file, 'utf8')).replace(/(aws\s*=\s*\{[^}]*version\s*=\s*)"[^"]+"/, `$1"${PROVIDER_VERSION}"`);
      writeFileSync(file, text);
    }
    const init = run('terraform', ['init', '-backend=false', '-input=false', '-no-color', `-plugin-dir=${mirror}`], { cwd: dir, env: { TF_PLUGIN_CACHE_DIR: pluginCache } });
    if (init.status !== 0) throw new Error(`terraform init (${label}) failed:\n${init.stdout}${init.stderr}`);
    const validate = run('terraform', ['validate', '-json', '-no-color'], { cwd: dir });
    const result = JSON.parse(validate.stdout);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    for (const d of result.diagnostics) {
      console.log(`${label}: ${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ''}${d.detail ? ` — ${d.detail.split('\n')[0]}` : ''}`);
    }
    console.log(`${label}: terraform validate ${result.valid ? 'passed' : 'FAILED'}: ${errors.length} errors, ${result.diagnostics.length - errors.length} warnings (hashicorp/aws ${PROVIDER_VERSION} from ${mirror})`);
    failed ||= !result.valid;
  }
  console.log(`6.x-only attributes mapped for ${PROVIDER_VERSION}: ${[...used].join('; ') || 'none'}`);
} finally {
  if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
process.exit(failed ? 1 : 0);
