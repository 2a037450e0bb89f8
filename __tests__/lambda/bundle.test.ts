/**
 * The bundle as Lambda runs it: a plain `node` process loading index.js and invoking `handler`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { bundleNodeEntry } from '../../constructs/interruption/node-bundle';
import { packagePath, packageRoot } from '../../constructs/package-paths';
import { BASE_ENV, spotNotice } from './support/fixtures';
import { startLocalServer } from '../fakes/recording-server';

const run = promisify(execFile);

/** Loads the bundle, reports what it exports, invokes the handler once and reports the outcome. */
const SMOKE_SCRIPT = `
const bundle = require(process.argv[2]);
const notice = JSON.parse(process.argv[3]);
bundle.handler(notice).then(
  (result) => console.log(JSON.stringify({ exported: typeof bundle.handler, result })),
  (error) => console.log(JSON.stringify({ exported: typeof bundle.handler, error: error.name + ': ' + error.message })),
);`;

describe('the termination handler bundle (as the TerminationHandler construct builds it)', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'termination-handler-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('bundles one self-contained file that loads, exports the handler, and reaches AWS_ENDPOINT_URL', async () => {
    const file = join(bundleNodeEntry(packagePath('lambda', 'termination-handler', 'index.ts'), packageRoot()), 'index.js');
    const code = readFileSync(file);
    const bytes = code.length;
    // Nothing left to resolve at runtime except Node's own modules. (The SDK names its optional CRT
    // signer in an error message, `require("@aws-sdk/signature-v4-crt")`, which this scan would catch.)
    const specifiers = [...code.toString('utf8').matchAll(/(?:require|import)\("([^"]+)"\)/g)].map((m) => m[1]!);
    const optional = new Set(['@aws-sdk/signature-v4-crt']);
    expect(specifiers.filter((s) => !s.startsWith('node:') && !builtinModules.includes(s) && !optional.has(s))).toEqual([]);

    const zipped = gzipSync(code, { level: 9 }).length; // ≈ the deployment zip (deflate) of index.js
    process.stdout.write(`termination-handler bundle: ${(bytes / 1024).toFixed(0)} KiB, ~${(zipped / 1024).toFixed(0)} KiB compressed (target ≤ 1024 KiB zipped)\n`);

    // The bundled SDK signs real requests and sends them where AWS_ENDPOINT_URL points; a 403 from
    // that local endpoint must end the invocation with a clear error, not hang or crash the bundle.
    const aws = await startLocalServer(() => ({ status: 403, body: { message: 'denied by the local endpoint' } }));
    try {
      const smoke = join(outDir, 'smoke.js');
      writeFileSync(smoke, SMOKE_SCRIPT);
      const env = {
        PATH: process.env.PATH, ...BASE_ENV, AWS_ENDPOINT_URL: aws.url, AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
        AWS_SECRET_ACCESS_KEY: 'local-test-secret', POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true',
      };
      const { stdout } = await run(process.execPath, [smoke, file, JSON.stringify(spotNotice())], { env, timeout: 30_000 });
      const report = JSON.parse(stdout.trim().split('\n').pop()!);
      expect(report.exported).toBe('function');
      expect(report.error).toMatch(/^StepsFailedError: termination steps failed: verify: DescribeInstances/);

      const operations = aws.requests.map((r) => (r.headers['x-amz-target'] as string | undefined) ?? new URLSearchParams(r.body).get('Action'));
      // The dedup read first; then the wave's bookkeeping; the instance is looked up before any mutation.
      expect(operations[0]).toBe('DynamoDB_20120810.GetItem');
      expect(operations).toContain('DescribeInstances');
      expect(operations).not.toContain('ModifyNetworkInterfaceAttribute');
      for (const r of aws.requests) expect(r.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST\//);
    } finally {
      await aws.close();
    }
  }, 60_000);
});
