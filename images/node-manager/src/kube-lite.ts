/**
 * The Kubernetes calls node-manager makes, over node:https, without @kubernetes/client-node: read
 * and merge-patch this node's own Node object, record an Event about it, and — for a drain — list
 * the node's pods and evict them through the Eviction API. The client would cost the daemon ~1.4 MB
 * of bundle, ~15 MiB of resident memory and ~0.45 s of CPU to load on the node's last two minutes.
 *
 * Credentials: in a pod, the service account (token re-read per request: kubelet rotates it);
 * else KUBECONFIG's current context with a bearer token (`token` or `tokenFile`). Other kubeconfig
 * users (exec plugins, client certificates) are refused at start with a message naming KUBECONFIG.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { delimiter } from 'node:path';
import { ConfigError } from './config';
import type { Json, KubeLite } from './kube-api';
import { parseYamlOffCluster } from './drain';

export type { Json, KubeLite } from './kube-api';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Node objects are a few KiB (a large node with many images can reach ~100 KiB). */
const MAX_BODY_BYTES = 1024 * 1024;
/** A node's pod list: up to ~740 pods (the largest instances), each a few KiB to tens of KiB. */
const MAX_LIST_BYTES = 64 * 1024 * 1024;

export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

interface Connection {
  readonly server: URL;
  readonly ca?: Buffer;
  readonly insecure: boolean;
  readonly token: () => string;
}

/** Rejects with {@link ConfigError} naming KUBECONFIG when its current user has no bearer token. */
export async function kubeLite(kubeconfigPath: string | undefined, env: NodeJS.ProcessEnv = process.env, serviceAccountDir = SA_DIR): Promise<KubeLite> {
  const conn = kubeconfigPath ? await fromKubeconfig(kubeconfigPath) : inCluster(env, serviceAccountDir);
  const call = (method: string, path: string, body: Json | undefined, contentType: string, signal?: AbortSignal, maxBytes = MAX_BODY_BYTES) =>
    send(conn, method, path, body, contentType, signal, maxBytes);
  return {
    getNode: (name, signal) => call('GET', `/api/v1/nodes/${encodeURIComponent(name)}`, undefined, 'application/json', signal),
    patchNode: (name, patch, signal) => call('PATCH', `/api/v1/nodes/${encodeURIComponent(name)}`, patch, 'application/merge-patch+json', signal),
    createEvent: async (namespace, event, signal) => {
      await call('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, event, 'application/json', signal);
    },
    listPods: async (fieldSelector, signal) => {
      const list = await call('GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(fieldSelector)}`, undefined, 'application/json', signal, MAX_LIST_BYTES);
      return Array.isArray(list.items) ? (list.items as Json[]) : [];
    },
    evictPod: async (namespace, name, eviction, signal) => {
      const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/eviction`;
      await call('POST', path, eviction, 'application/json', signal);
    },
  };
}

function inCluster(env: NodeJS.ProcessEnv, saDir: string): Connection {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const hostPart = host.includes(':') ? `[${host}]` : host; // IPv6 service address
  return {
    server: new URL(`https://${hostPart}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`),
    ca: readFileSync(`${saDir}/ca.crt`),
    insecure: false,
    token: () => readFileSync(`${saDir}/token`, 'utf8').trim(),
  };
}

async function fromKubeconfig(paths: string): Promise<Connection> {
  const file = paths.split(delimiter).filter(Boolean)[0];
  const refuse = (why: string): never => {
    throw new ConfigError([`KUBECONFIG: ${file}: ${why}; node-manager reads clusters with a bearer-token user (token or tokenFile), as in a pod`]);
  };
  const text = readFileSync(file, 'utf8');
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    // A YAML kubeconfig: off-cluster only, so the parser lives in the drain bundle, not in main.js.
    doc = (await parseYamlOffCluster(text)) as Json;
  }
  const named = (list: unknown, name: unknown): Json | undefined => (Array.isArray(list) ? list.find((e: Json) => e?.name === name) : undefined);
  const context = named(doc?.contexts, doc?.['current-context'])?.context as Json | undefined;
  if (!context) return refuse('no current-context');
  const cluster = named(doc.clusters, context.cluster)?.cluster as Json | undefined;
  const user = (named(doc.users, context.user)?.user ?? {}) as Json;
  if (!cluster?.server) return refuse(`context ${String(doc['current-context'])} names no cluster with a server`);
  const token = typeof user.token === 'string' ? user.token : undefined;
  const tokenFile = typeof user.tokenFile === 'string' ? user.tokenFile : undefined;
  if (!token && !tokenFile) return refuse('the current user has no token');
  return {
    server: new URL(cluster.server as string),
    ca: cluster['certificate-authority-data']
      ? Buffer.from(cluster['certificate-authority-data'] as string, 'base64')
      : cluster['certificate-authority']
        ? readFileSync(cluster['certificate-authority'] as string)
        : undefined,
    insecure: cluster['insecure-skip-tls-verify'] === true,
    token: () => token ?? readFileSync(tokenFile as string, 'utf8').trim(),
  };
}

function send(
  conn: Connection,
  method: string,
  path: string,
  body: Json | undefined,
  contentType: string,
  signal: AbortSignal | undefined,
  maxBytes: number,
): Promise<Json> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const url = new URL(path, conn.server);
  const timeout = AbortSignal.timeout(10_000);
  const options: RequestOptions & { ca?: Buffer; rejectUnauthorized?: boolean } = {
    method,
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${conn.token()}`,
      ...(payload ? { 'content-type': contentType, 'content-length': String(payload.length) } : {}),
    },
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    ...(url.protocol === 'https:' ? { ca: conn.ca, rejectUnauthorized: !conn.insecure } : {}),
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          req.destroy();
          reject(new KubeApiError(0, `${method} ${path}: answer over ${maxBytes} bytes`));
        } else chunks.push(chunk);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Json = {};
        try {
          parsed = text ? (JSON.parse(text) as Json) : {};
        } catch {
          // not JSON: keep the status
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(parsed);
        else reject(new KubeApiError(status, `${method} ${path}: HTTP ${status} ${String(parsed.reason ?? '')} ${String(parsed.message ?? '')}`.trim()));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
