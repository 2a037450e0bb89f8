/**
 * The context an app is given, read the way `cdktf synth`/`deploy` give it and the way
 * `npx tsx main.ts` is run: cdktf.json "context" < CDKTF_CONTEXT_JSON < `-c key=value`
 * (`--context key=value`).
 *
 * The cdktf CLI (0.21) replaces CDKTF_CONTEXT_JSON with cdktf.json's context before it starts the
 * app, and accepts `-c` without passing it on. So when the app runs under the CLI, the user's
 * CDKTF_CONTEXT_JSON and `-c` arguments are read from the CLI process itself (its environment and
 * command line in /proc on Linux, its command line from `ps` elsewhere).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Keys cdktf itself puts into the context; never settings. */
export const CDKTF_INTERNAL_CONTEXT_KEYS = ['cdktfRelativeModules', 'cdktfJsonPath', 'cdktfStaticModuleAssetHash', 'cdktfVersion'];

const CLI_COMMANDS = ['synth', 'deploy', 'diff', 'plan', 'destroy', 'apply', 'watch', 'output', 'list'];

export interface CdktfContext {
  /** Merged context, highest precedence last applied. */
  readonly values: Record<string, unknown>;
  /** Where each key came from: `cdktf.json context`, `CDKTF_CONTEXT_JSON`, `-c key=value`. */
  readonly origin: Record<string, string>;
}

export interface ReadContextOptions {
  /** Directory holding cdktf.json. @default process.cwd() */
  readonly cwd?: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** The command line to read `-c` from. @default - the cdktf CLI's, else this process's */
  readonly argv?: readonly string[];
}

/** `-c a=1 --context b=x -c=c=2 --context=d=3` → `{ a: '1', b: 'x', c: '2', d: '3' }`; values stay strings. */
export function contextArguments(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^(?:-c|--context)(?:=(.*))?$/.exec(argv[i]);
    if (!m) continue;
    const pair = m[1] ?? argv[++i] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`${argv[i - (m[1] === undefined ? 1 : 0)]} ${pair}: context arguments are key=value, e.g. -c clusterName=prod`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

interface CliProcess {
  readonly argv: string[];
  readonly env?: Record<string, string>;
}

/** The cdktf CLI process this app runs under, if any, found by walking parent processes. */
function cdktfCliProcess(): CliProcess | undefined {
  let pid = process.ppid;
  for (let depth = 0; depth < 8 && pid > 1; depth++) {
    const proc = readProcess(pid);
    if (!proc) return undefined;
    const cli = proc.argv.findIndex((a) => /(^|[/\\])cdktf(\.js)?$/.test(a) || /cdktf-cli[/\\]/.test(a));
    if (cli >= 0 && proc.argv.slice(cli + 1).some((a) => CLI_COMMANDS.includes(a))) return proc;
    pid = proc.ppid;
  }
  return undefined;
}

function readProcess(pid: number): (CliProcess & { ppid: number }) | undefined {
  try {
    if (existsSync(`/proc/${pid}/cmdline`)) {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
      let env: Record<string, string> | undefined;
      try {
        env = Object.fromEntries(
          readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
        );
      } catch {
        env = undefined;
      }
      return { argv, ppid, env };
    }
    const [ppid, ...args] = execFileSync('ps', ['-o', 'ppid=,args=', '-p', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/);
    return { argv: args, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

function parseContextJson(text: string | undefined, from: string): Record<string, unknown> {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${from} is not JSON (${(error as Error).message}); give an object such as {"clusterName":"prod"}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${from} must be a JSON object such as {"clusterName":"prod"}`);
  return value as Record<string, unknown>;
}

/** Reads and merges the context sources; see the module comment. */
export function readCdktfContext(options: ReadContextOptions = {}): CdktfContext {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const values: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  const apply = (from: string, entries: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(entries)) if (!CDKTF_INTERNAL_CONTEXT_KEYS.includes(k)) [values[k], origin[k]] = [v, from];
  };
  const file = join(cwd, 'cdktf.json');
  if (existsSync(file)) apply('cdktf.json context', (parseContextJson(readFileSync(file, 'utf8'), 'cdktf.json').context as Record<string, unknown>) ?? {});
  const cli = options.argv ? undefined : cdktfCliProcess();
  // Under the CLI, this process's CDKTF_CONTEXT_JSON is cdktf.json's context again; the user's is the CLI's own.
  const userContextJson = cli ? cli.env?.CDKTF_CONTEXT_JSON : env.CDKTF_CONTEXT_JSON;
  apply('CDKTF_CONTEXT_JSON', parseContextJson(userContextJson, 'CDKTF_CONTEXT_JSON'));
  const args = contextArguments(options.argv ?? cli?.argv ?? process.argv.slice(2));
  for (const [k, v] of Object.entries(args)) [values[k], origin[k]] = [v, `-c ${k}=${v}`];
  return { values, origin };
}
