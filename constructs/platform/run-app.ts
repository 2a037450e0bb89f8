/**
 * The entry point of main.ts and the examples: read the context strictly, validate, build, then
 * synthesize into a staging directory that replaces the output only when everything succeeded.
 * A bad setting or a construct that throws leaves cdktf.out as it was and exits 1 with the message.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'cdktf';
import { unknownKeyMessage } from '../closest';
import { CDKTF_INTERNAL_CONTEXT_KEYS, readCdktfContext, type CdktfContext } from './cdktf-context';
import { PlatformConfigError } from './config';

/** A bad setting: the message names it and the fix; the app exits 1 without writing anything. */
export class AppSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AppSettingsError';
  }
}

/** Fails on any context key that is not in `known` (cdktf's own keys aside), naming the closest. */
export function checkContextKeys(context: CdktfContext, known: readonly string[]): void {
  const problems = Object.keys(context.values)
    .filter((key) => !known.includes(key) && !CDKTF_INTERNAL_CONTEXT_KEYS.includes(key))
    .map((key) => `${key} (from ${context.origin[key] ?? 'context'}): ${unknownKeyMessage(key, known)}`);
  if (problems.length > 0) throw new AppSettingsError(problems);
}

/** `depends_on = ["aws_x.y"]` → `depends_on = [aws_x.y]`: cdktf quotes references Terraform ≥ 0.12 takes bare (and warns about quoted). */
export function unquoteReferences(hcl: string): string {
  return hcl.replace(/\b(depends_on|ignore_changes)(\s*=\s*\[)([^\]]*)\]/g, (_m, key: string, open: string, items: string) => `${key}${open}${items.replace(/"([A-Za-z_][\w.-]*)"/g, '$1')}]`);
}

/**
 * `postcondition = [{…}, {…}]` → one `postcondition { … }` block each (likewise `precondition`):
 * cdktf writes lifecycle conditions as a list attribute, which Terraform rejects.
 */
export function conditionBlocks(hcl: string): string {
  return hcl.replace(/\b(precondition|postcondition)\s*=\s*\[\s*\n(\{[\s\S]*?\}),?\s*\n\s*\]/g, (_m, kind: string, items: string) =>
    items
      .split(/\},\s*\n\s*\{/)
      .map((item) => `${kind} {\n${item.replace(/^\s*\{?\s*\n?/, '').replace(/\n?\s*\}?\s*$/, '')}\n}`)
      .join('\n'),
  );
}

/**
 * Tidies cdktf's HCL output: bare references in `depends_on`, lifecycle conditions as blocks, then `terraform fmt` (cdktf writes
 * HCL unindented) when terraform is on the PATH, so `cdktf synth --hcl` output passes
 * `terraform fmt -check` and validates without warnings. Returns whether fmt ran.
 */
export function formatHcl(outdir: string): boolean {
  const stacks = join(outdir, 'stacks');
  for (const stack of existsSync(stacks) ? readdirSync(stacks) : []) {
    const file = join(stacks, stack, 'cdk.tf');
    if (existsSync(file)) writeFileSync(file, conditionBlocks(unquoteReferences(readFileSync(file, 'utf8'))));
  }
  const result = spawnSync('terraform', ['fmt', '-recursive', '-no-color', join(outdir, 'stacks')], { encoding: 'utf8' });
  if (result.error) {
    console.warn('terraform is not on the PATH: the HCL output is valid but not formatted (run `terraform fmt -recursive cdktf.out`).');
    return false;
  }
  if (result.status !== 0) throw new Error(`terraform fmt rejected the synthesized HCL:\n${result.stderr}`);
  return true;
}

/**
 * Builds and synthesizes an app. `prepare` reads and checks the settings before anything exists
 * (throw {@link AppSettingsError} or PlatformConfigError); `build` declares the stacks.
 */
export function runApp<T>(prepare: (context: CdktfContext) => T, build: (app: App, settings: T) => void): void {
  let staging: string | undefined;
  try {
    const context = readCdktfContext();
    const settings = prepare(context);
    // The app (and app.node.tryGetContext) sees the merged context, whatever the CLI passed.
    const passed = process.env.CDKTF_CONTEXT_JSON ? (JSON.parse(process.env.CDKTF_CONTEXT_JSON) as Record<string, unknown>) : {};
    process.env.CDKTF_CONTEXT_JSON = JSON.stringify({ ...passed, ...context.values });
    const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
    staging = mkdtempSync(join(tmpdir(), 'spot-ready-eks-synth-'));
    // cdktf loads only once the settings passed: a bad setting exits without loading it.
    const { App: CdktfApp } = require('cdktf') as typeof import('cdktf');
    const app = new CdktfApp({ outdir: staging });
    build(app, settings);
    app.synth();
    if (app.hclOutput) formatHcl(staging);
    for (const entry of readdirSync(staging)) cpSync(join(staging, entry), join(outdir, entry), { recursive: true, force: true });
  } catch (error) {
    process.setSourceMapsEnabled(true);
    if (!(error instanceof PlatformConfigError || error instanceof AppSettingsError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}
