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
import { FakeImds } from '../fakes/imds';
import { FakeLambdaEndpoint } from '../fakes/lambda-endpoint';
import { DaemonProcess, testEnv } from './helpers/daemon-process';
import { FakeKubeApi } from '../fakes/kube-api';

describe('node-manager bundle', () => {
  it('is two self-contained files that run the daemon end to end', async () => {
    const outfile = nodeManagerBundle();
    const drainFile = join(dirname(outfile), DRAIN_BUNDLE);
    expect(relative(tmpdir(), outfile).startsWith('..')).toBe(false); // outside the repository
    // The drain lives only in drain.js, so an idle daemon never even parses it; no Kubernetes client library in either.
    const [main, drain] = [readFileSync(outfile, 'utf8'), readFileSync(drainFile, 'utf8')];
    expect(main).not.toContain('drain finished');
    expect(drain).toContain('drain finished');
    for (const text of [main, drain]) expect(text).not.toMatch(/loadFromCluster|makeApiClient/);

    const [imds, lambda, kube] = await Promise.all([
      FakeImds.start(),
      FakeLambdaEndpoint.start(),
      FakeKubeApi.start('node-b', [{ namespace: 'shop', name: 'web-1', ownerKind: 'ReplicaSet' }]),
    ]);
    const daemon = DaemonProcess.spawn(
      testEnv({
        AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
        AWS_ENDPOINT_URL_LAMBDA: lambda.url,
        DRAIN_ENABLED: 'true',
        NODE_NAME: 'node-b',
        KUBECONFIG: kube.writeKubeconfig(),
      }),
      outfile,
    );
    try {
      imds.setSpotAction({ action: 'terminate', time: new Date(Date.now() + 120_000).toISOString() });
      const [invocation] = await lambda.waitForInvocations(1);
      expect(invocation.payload).toMatchObject({ instanceId: imds.instanceId, nodeName: 'node-b', action: 'terminate' });
      await daemon.waitForLog((l) => l.msg === 'drain finished');
      expect(kube.podNames()).toEqual([]);
      expect(await daemon.stop()).toBe(0);
    } finally {
      await daemon.stop();
      await Promise.all([imds.close(), lambda.close(), kube.close()]);
    }
  });
});
