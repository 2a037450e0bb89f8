import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleTerminationHandler } from '../../lambda/termination-handler/bundle';
import { BASE_ENV, spotNotice } from './support/fixtures';
import { startLocalServer } from './support/local-http';

describe('bundleTerminationHandler', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'termination-handler-'));
  const savedEnv = { ...process.env };
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    process.env = savedEnv;
  });

  it('bundles one self-contained file that loads, exports the handler, and talks to AWS_ENDPOINT_URL', async () => {
    const { file, bytes } = await bundleTerminationHandler(outDir);
    const code = readFileSync(file);
    expect(bytes).toBe(code.length);
    // Nothing left to resolve at runtime except Node's own modules. (The SDK names its optional CRT
    // signer in an error message, `require("@aws-sdk/signature-v4-crt")`, which this scan would catch.)
    const requires = [...code.toString('utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
    const optional = new Set(['@aws-sdk/signature-v4-crt']);
    expect(requires.filter((r) => !r.startsWith('node:') && !builtinModules.includes(r) && !optional.has(r))).toEqual([]);

    const zipped = gzipSync(code, { level: 9 }).length; // ≈ the deployment zip (deflate) of index.js
    process.stdout.write(`termination-handler bundle: ${(bytes / 1024).toFixed(0)} KiB, ~${(zipped / 1024).toFixed(0)} KiB compressed (target ≤ 1024 KiB zipped)\n`);

    const loaded = require(file) as { handler?: (event: unknown) => Promise<unknown> };
    expect(typeof loaded.handler).toBe('function');

    // The bundled SDK signs real requests and sends them where AWS_ENDPOINT_URL points; a 403 from
    // that local endpoint must end the invocation with an error, not hang or crash the bundle.
    const aws = await startLocalServer(() => ({ status: 403, body: { message: 'denied by the local endpoint' } }));
    try {
      Object.assign(process.env, BASE_ENV, {
        AWS_ENDPOINT_URL: aws.url, AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-test-secret',
        POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true',
      });
      const err = await loaded.handler!(spotNotice()).catch((e: Error) => e); process.stdout.write(String((err as Error).message).slice(0, 1500) + "\n");
      await expect(Promise.reject(err)).rejects.toThrow(/steps failed/);
      const targets = aws.requests.map((r) => (r.headers['x-amz-target'] as string | undefined) ?? new URLSearchParams(r.body).get('Action'));
      expect(targets.slice(0, 2)).toEqual(['DynamoDB_20120810.GetItem', 'DescribeInstances']);
      expect(targets).not.toContain('ModifyNetworkInterfaceAttribute');
      for (const r of aws.requests) expect(r.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST\//);
    } finally {
      await aws.close();
    }
  }, 60_000);
});
