/**
 * Just enough of the Kubernetes API for a node drain, on 127.0.0.1 over plain HTTP: read and
 * merge-patch one node, list pods by `spec.nodeName`, the Eviction subresource (with 429s on
 * demand, as a PodDisruptionBudget answers) and core Events. `writeKubeconfig` points a client at it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, type Loopback } from './loopback';
import { tmpdir } from 'node:os';
import { stringify } from 'yaml';
import { join } from 'node:path';

export interface FakePod {
  readonly name: string;
  readonly namespace: string;
  readonly ownerKind?: string;
  readonly mirror?: boolean;
}

export interface RecordedKubeRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType?: string;
  readonly body?: unknown;
  readonly status: number;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TOKEN = 'fake-kube-token';

export class FakeKubeApi {
  readonly requests: RecordedKubeRequest[] = [];
  /** Events created (core v1), in order. */
  readonly events: Json[] = [];
  /** The node before and after each accepted patch: what an admission policy sees as oldObject and object. */
  readonly nodeUpdates: { readonly oldObject: Json; readonly object: Json }[] = [];
  node: Json;
  private readonly pods = new Map<string, Json>();
  private readonly pdbBlocks = new Map<string, number>();
  private patchConflicts = 0;
  /** Every kubeconfig folder written, removed on close. */
  private readonly kubeconfigDirs: string[] = [];

  private loopback!: Loopback;

  private constructor(nodeName: string) {
    this.node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: nodeName, resourceVersion: '1', labels: { 'kubernetes.io/hostname': nodeName } },
      spec: { taints: [{ key: 'existing/taint', value: 'x', effect: 'PreferNoSchedule' }] },
    };
  }

  static async start(nodeName: string, pods: readonly FakePod[]): Promise<FakeKubeApi> {
    const fake = new FakeKubeApi(nodeName);
    for (const pod of pods) fake.addPod(pod);
    fake.loopback = await listenOnLoopback(createServer((req, res) => void fake.handle(req, res)));
    return fake;
  }

  get url(): string {
    return this.loopback.url;
  }

  /** Pods still on the node (evicted ones are deleted). */
  podNames(): string[] {
    return [...this.pods.keys()].sort();
  }

  /** The next `times` evictions of `namespace/name` answer 429, as a PDB would. */
  blockEviction(podKey: string, times: number): void {
    this.pdbBlocks.set(podKey, times);
  }

  /** The next `times` node patches lose a race: another writer bumps the node first, so they answer 409. */
  conflictNextPatches(times: number): void {
    this.patchConflicts = times;
  }

  /** Requests that would change something (everything but GET). */
  mutations(): RecordedKubeRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  /** A kubeconfig file for this server (JSON, or YAML as kubectl writes it), removed on close. */
  writeKubeconfig(format: 'json' | 'yaml' = 'json'): string {
    const dir = mkdtempSync(join(tmpdir(), 'fake-kube-'));
    this.kubeconfigDirs.push(dir);
    const file = join(dir, 'config');
    const write = format === 'yaml' ? stringify : JSON.stringify;
    writeFileSync(
      file,
      write({
        apiVersion: 'v1',
        kind: 'Config',
        // Plain HTTP on loopback: the client refuses http:// unless TLS verification is off.
        clusters: [{ name: 'fake', cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'fake', user: { token: TOKEN } }],
        contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
        'current-context': 'fake',
      }),
    );
    return file;
  }

  async close(): Promise<void> {
    for (const dir of this.kubeconfigDirs) rmSync(dir, { recursive: true, force: true });
    await this.loopback.close();
  }

  private addPod(pod: FakePod): void {
    this.pods.set(`${pod.namespace}/${pod.name}`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod.name,
        namespace: pod.namespace,
        ...(pod.mirror ? { annotations: { 'kubernetes.io/config.mirror': 'hash' } } : {}),
        ...(pod.ownerKind
          ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: pod.ownerKind, name: 'owner', uid: 'u1', controller: true }] }
          : {}),
      },
      spec: { nodeName: this.node.metadata.name, containers: [{ name: 'c', image: 'img' }] },
      status: { phase: 'Running' },
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : undefined;
    const url = new URL(req.url ?? '/', this.url);
    const send = (status: number, payload: unknown): void => {
      this.requests.push({ method: req.method ?? '', path: url.pathname, contentType: req.headers['content-type'], body, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, status(401, 'Unauthorized'));

    const nodePath = `/api/v1/nodes/${this.node.metadata.name}`;
    const eviction = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction$/.exec(url.pathname);
    if (url.pathname === nodePath && req.method === 'GET') return send(200, this.node);
    if (url.pathname === nodePath && req.method === 'PATCH') {
      if (req.headers['content-type'] !== 'application/merge-patch+json') return send(415, status(415, 'UnsupportedMediaType'));
      if (this.patchConflicts > 0) {
        this.patchConflicts -= 1;
        this.node.metadata.resourceVersion = String(Number(this.node.metadata.resourceVersion) + 1);
      }
      const expected = body?.metadata?.resourceVersion;
      if (expected && expected !== this.node.metadata.resourceVersion) return send(409, status(409, 'Conflict'));
      const oldObject = structuredClone(this.node);
      this.node = mergePatch(this.node, body) as Json;
      this.node.metadata.resourceVersion = String(Number(expected ?? this.node.metadata.resourceVersion) + 1);
      this.nodeUpdates.push({ oldObject, object: structuredClone(this.node) });
      return send(200, this.node);
    }
    const events = /^\/api\/v1\/namespaces\/([^/]+)\/events$/.exec(url.pathname);
    if (events && req.method === 'POST') {
      if (body?.metadata?.namespace && body.metadata.namespace !== events[1]) return send(400, status(400, 'BadRequest', 'namespace mismatch'));
      const event = { ...body, metadata: { ...body?.metadata, name: `${body?.metadata?.generateName ?? 'event.'}${this.events.length}` } };
      this.events.push(event);
      return send(201, event);
    }
    if (url.pathname === '/api/v1/pods' && req.method === 'GET') {
      const selector = url.searchParams.get('fieldSelector');
      const items = [...this.pods.values()].filter((p) => selector === `spec.nodeName=${p.spec.nodeName}`);
      return send(200, { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items });
    }
    if (eviction && req.method === 'POST') {
      const key = `${eviction[1]}/${eviction[2]}`;
      if (!this.pods.has(key)) return send(404, status(404, 'NotFound'));
      const blocks = this.pdbBlocks.get(key) ?? 0;
      if (blocks > 0) {
        this.pdbBlocks.set(key, blocks - 1);
        return send(429, status(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget."));
      }
      this.pods.delete(key);
      return send(201, { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 });
    }
    send(404, status(404, 'NotFound', `fake has no route ${req.method} ${url.pathname}`));
  }
}

function status(code: number, reason: string, message = reason): Json {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Json = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
