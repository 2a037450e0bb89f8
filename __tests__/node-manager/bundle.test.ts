/**
 * The esbuild bundle — main.js and drain.js, the two files the container image ships, built by
 * images/node-manager/build.ts in the run's global setup — runs on its own: it lives outside the
 * repository (no node_modules to fall back on), detects a notice, invokes the Lambda and drains
 * (the drain, loaded from drain.js on the first drain).
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { DRAIN_BUNDLE } from '../../images/node-manager/build';
import { nodeManagerBundle } from '../support/node-manager-bundle';
import { startHarness } from './helpers/daemon-harness';

describe('node-manager bundle', () => {
  it('is two self-contained files that run the daemon end to end', async ({ onTestFinished }) => {
    const outfile = nodeManagerBundle();
    const drainFile = join(dirname(outfile), DRAIN_BUNDLE);
    expect(relative(tmpdir(), outfile).startsWith('..')).toBe(false); // outside the repository
    // The drain lives only in drain.js, so an idle daemon never even parses it; no Kubernetes client library in either.
    const [main, drain] = [readFileSync(outfile, 'utf8'), readFileSync(drainFile, 'utf8')];
    expect(main).not.toContain('drain finished');
    expect(drain).toContain('drain finished');
    for (const text of [main, drain]) expect(text).not.toMatch(/loadFromCluster|makeApiClient/);

    const nm = await startHarness(onTestFinished, { kube: { node: 'node-b', pods: [{ namespace: 'shop', name: 'web-1', ownerKind: 'ReplicaSet' }] } });
    const daemon = nm.spawn();
    expect(daemon.child.spawnargs).toContain(outfile); // the harness runs the very bundle read above
    nm.imds.setSpotAction({ action: 'terminate', time: new Date(Date.now() + 120_000).toISOString() });
    const [invocation] = await nm.lambda.waitForInvocations(1);
    expect(invocation.payload).toMatchObject({ instanceId: nm.imds.instanceId, nodeName: 'node-b', action: 'terminate' });
    await daemon.waitForLog((l) => l.msg === 'drain finished');
    expect(nm.kube.podNames()).toEqual([]);
    expect(await daemon.stop()).toBe(0);
  });
});
