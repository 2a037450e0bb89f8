/**
 * The small node client over real TLS: the in-cluster service-account path (CA file, token re-read
 * per request as the kubelet rotates it), a kubeconfig with CA data, a wrong CA refused, and
 * a kubeconfig user without a bearer token refused at start naming KUBECONFIG, and the drain's pod
 * list and evictions.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../images/node-manager/src/config';
import { apiStatus } from '../../images/node-manager/src/drain/kube';
import { kubeLite } from '../../images/node-manager/src/kube-lite';

const NODE = 'ip-10-0-1-23.eu-west-1.compute.internal';

function selfSigned(dir: string, name: string): { key: Buffer; cert: Buffer } {
  const [key, cert] = [join(dir, `${name}.key`), join(dir, `${name}.crt`)];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=kube', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

describe('kube-lite', () => {
  let dir: string;
  let server: Server;
  let port: number;
  let tls: { key: Buffer; cert: Buffer };
  const seen: { method: string; url: string; auth?: string; type?: string; body: string }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kube-lite-'));
    tls = selfSigned(dir, 'server');
    server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, type: req.headers['content-type'], body: Buffer.concat(chunks).toString() });
        if (req.headers.authorization?.startsWith('Bearer ') !== true) res.writeHead(401).end('{"reason":"Unauthorized"}');
        else if (req.url === `/api/v1/nodes/${NODE}` && req.method === 'GET') res.writeHead(200).end(JSON.stringify({ metadata: { name: NODE, labels: {} } }));
        else if (req.url === `/api/v1/nodes/${NODE}` && req.method === 'PATCH') res.writeHead(200).end(JSON.stringify({ metadata: { name: NODE } }));
        else if (req.url?.startsWith('/api/v1/pods?') && req.method === 'GET') res.writeHead(200).end(JSON.stringify({ kind: 'PodList', items: [{ metadata: { namespace: 'shop', name: 'web-1' } }] }));
        else if (req.url === '/api/v1/namespaces/shop/pods/web-1/eviction' && req.method === 'POST') res.writeHead(201).end('{"status":"Success"}');
        else if (req.url === '/api/v1/namespaces/shop/pods/held/eviction' && req.method === 'POST') res.writeHead(429).end('{"reason":"TooManyRequests","message":"would violate the disruption budget"}');
        else res.writeHead(404).end(JSON.stringify({ reason: 'NotFound', message: 'no route' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => (seen.length = 0));

  it('in a pod: trusts the service-account CA and re-reads the rotating token on every request', async () => {
    const sa = mkdtempSync(join(dir, 'sa-'));
    writeFileSync(join(sa, 'ca.crt'), tls.cert);
    writeFileSync(join(sa, 'token'), 'token-one\n');
    const kube = await kubeLite(undefined, { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(port) }, sa);
    expect((await kube.getNode(NODE)).metadata.name).toBe(NODE);
    writeFileSync(join(sa, 'token'), 'token-two\n'); // the kubelet rotated it
    await kube.patchNode(NODE, { metadata: { labels: { 'node-lifecycle': 'spot' } } });
    expect(seen.map((s) => [s.method, s.auth, s.type])).toEqual([
      ['GET', 'Bearer token-one', undefined],
      ['PATCH', 'Bearer token-two', 'application/merge-patch+json'],
    ]);
    expect(JSON.parse(seen[1].body)).toEqual({ metadata: { labels: { 'node-lifecycle': 'spot' } } });
  });

  it('refuses a server its CA did not sign', async () => {
    const sa = mkdtempSync(join(dir, 'sa-'));
    writeFileSync(join(sa, 'ca.crt'), selfSigned(dir, 'other').cert);
    writeFileSync(join(sa, 'token'), 't');
    const kube = await kubeLite(undefined, { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(port) }, sa);
    await expect(kube.getNode(NODE)).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/) });
    expect(seen).toEqual([]);
  });

  it('reads a kubeconfig with CA data and a token, and reports API errors with their status', async () => {
    // YAML kubeconfigs are parsed by drain.js's YAML parser: node-marks.test.ts runs one through the built daemon.
    const file = join(dir, 'kubeconfig.json');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority-data': tls.cert.toString('base64') } }],
        users: [{ name: 'u', user: { token: 'file-token' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    const kube = await kubeLite(file);
    expect((await kube.getNode(NODE)).metadata.name).toBe(NODE);
    await expect(kube.createEvent('default', { reason: 'x' })).rejects.toMatchObject({ name: 'KubeApiError', status: 404 });
    expect(seen.map((s) => s.auth)).toEqual(['Bearer file-token', 'Bearer file-token']);
  });

  it("makes the drain's calls: the node's pods across namespaces, and evictions that report a budget's 429", async () => {
    const sa = mkdtempSync(join(dir, 'sa-'));
    writeFileSync(join(sa, 'ca.crt'), tls.cert);
    writeFileSync(join(sa, 'token'), 't');
    const kube = await kubeLite(undefined, { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(port) }, sa);
    expect(await kube.listPods(`spec.nodeName=${NODE}`)).toEqual([{ metadata: { namespace: 'shop', name: 'web-1' } }]);
    const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { namespace: 'shop', name: 'web-1' } };
    await kube.evictPod('shop', 'web-1', eviction);
    const blocked = await kube.evictPod('shop', 'held', { ...eviction, metadata: { namespace: 'shop', name: 'held' } }).catch((e: unknown) => e);
    expect(blocked).toMatchObject({ name: 'KubeApiError', status: 429, message: expect.stringMatching(/disruption budget/) });
    expect(apiStatus(blocked)).toBe(429);
    expect(apiStatus(new Error('socket hang up'))).toBeUndefined();
    expect(seen.map((s) => [s.method, s.url, s.type])).toEqual([
      ['GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${NODE}`)}`, undefined],
      ['POST', '/api/v1/namespaces/shop/pods/web-1/eviction', 'application/json'],
      ['POST', '/api/v1/namespaces/shop/pods/held/eviction', 'application/json'],
    ]);
    expect(JSON.parse(seen[1].body)).toEqual(eviction);
  });

  it('refuses at start, naming KUBECONFIG, a user without a bearer token (exec plugin)', async () => {
    const file = join(dir, 'exec.json');
    writeFileSync(
      file,
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}` } }],
        users: [{ name: 'u', user: { exec: { command: 'aws', args: ['eks', 'get-token'] } } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    const err = await kubeLite(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([expect.stringMatching(/^KUBECONFIG: .*exec\.json: the current user has no token/)]);
  });
});
