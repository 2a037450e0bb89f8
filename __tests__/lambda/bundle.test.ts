import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleTerminationHandler } from '../../lambda/termination-handler/bundle';

describe('bundleTerminationHandler', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'termination-handler-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('bundles one self-contained file that loads and exports the handler', async () => {
    const { file, bytes } = await bundleTerminationHandler(outDir);
    const code = readFileSync(file);
    expect(bytes).toBe(code.length);
    // Nothing left to resolve at runtime except Node's own modules, and the SDK's optional CRT signer
    // (SigV4a only, required inside a try/catch; none of our calls needs it).
    const requires = [...code.toString('utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
    const optional = new Set(['@aws-sdk/signature-v4-crt']);
    expect(requires.filter((r) => !r.startsWith('node:') && !isBuiltin(r) && !optional.has(r))).toEqual([]);

    const loaded = require(file) as { handler?: unknown };
    expect(typeof loaded.handler).toBe('function');

    const zipped = gzipSync(code, { level: 9 }).length; // ≈ the deployment zip (deflate) size
    process.stdout.write(`termination-handler bundle: ${(bytes / 1024).toFixed(0)} KiB, ~${(zipped / 1024).toFixed(0)} KiB compressed (target ≤ 1024 KiB zipped)\n`);
  }, 60_000);
});

function isBuiltin(name: string): boolean {
  return require('node:module').builtinModules.includes(name);
}
