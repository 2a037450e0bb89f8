import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '..', '..', 'scripts', 'check-deep-imports.mjs');

function check(source: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'deep-imports-'));
  try {
    writeFileSync(join(dir, 'stack.ts'), source);
    const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Built from pieces so this file does not trip the check itself.
const P = '@cdktf/provider-';

describe('deep-import check', () => {
  it.each([
    `import { EksCluster } from '${P}aws';`,
    `import * as k8s from "${P}kubernetes";`,
    `const helm = require('${P}helm');`,
    `const aws = await import('${P}aws/lib');`,
  ])('fails on an index import: %s', (source) => {
    const r = check(source);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stack\.ts:1: index import of '@cdktf\/provider-/);
  });

  it('passes deep imports', () => {
    expect(check(`import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';\nimport { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';`).status).toBe(0);
  });

  it('passes this repository', () => {
    expect(spawnSync(process.execPath, [script, join(__dirname, '..', '..')]).status).toBe(0);
  });
});
