/**
 * `npm run synth` as the README runs it: main.ts in a real process (`node --import tsx`, no cdktf
 * CLI), here with context as the CLI passes it (CDKTF_CONTEXT_JSON), which wins over cdktf.json.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const repo = join(__dirname, '../..');

describe('main.ts run directly', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'main-synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes both stacks with the Lambda zip beside them, config taken from the context it is given', async () => {
    const context = JSON.stringify({ clusterName: 'from-context', azCount: 2 });
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: repo,
      env: { ...process.env, CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: context },
      timeout: 60_000,
    });
    const cluster = JSON.parse(readFileSync(join(outdir, 'stacks/cluster/cdk.tf.json'), 'utf8'));
    expect(existsSync(join(outdir, 'stacks/workloads/cdk.tf.json'))).toBe(true);
    expect(Object.values(cluster.resource.aws_eks_cluster).map((c: any) => c.name)).toEqual(['from-context']);
    const [fn] = Object.values(cluster.resource.aws_lambda_function) as any[];
    expect(fn.filename).toMatch(/^assets\/.+\/termination-handler\.[0-9a-f]{12}\.zip$/);
    expect(existsSync(join(outdir, 'stacks/cluster', fn.filename))).toBe(true);
  }, 60_000);
});
