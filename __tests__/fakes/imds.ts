/**
 * A fake EC2 instance metadata service (IMDSv2 only, like a launch template with HttpTokens
 * required) on 127.0.0.1. Stateful: tests set notices and inject faults while a daemon polls it.
 *
 *   const imds = await FakeImds.start({ instanceId: 'i-0123456789abcdef0' });
 *   env.AWS_EC2_METADATA_SERVICE_ENDPOINT = imds.url;
 *   imds.setSpotAction({ action: 'terminate', time: '2026-11-22T12:00:00Z' });
 *   imds.injectFault({ kind: 'status', status: 500 }, { path: 'spot/instance-action', times: 3 });
 *   await imds.close();
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, type Loopback } from './loopback';

export interface SpotInstanceAction {
  readonly action: 'terminate' | 'stop' | 'hibernate';
  readonly time: string;
}

export interface ScheduledEvent {
  readonly Code: string;
  readonly Description?: string;
  readonly EventId?: string;
  readonly NotBefore: string;
  readonly NotAfter?: string;
  readonly State?: 'active' | 'completed' | 'canceled';
}

export type ImdsFault =
  | { readonly kind: 'status'; readonly status: number }
  /** Holds the answer back this long (a client with a shorter timeout gives up). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** 200 with a body that is not what AWS documents. */
  | { readonly kind: 'garbage'; readonly body?: string }
  /** 200 with a body of `bytes` bytes, streamed in 64 KiB chunks (chunked: no content-length unless `declareLength`). */
  | { readonly kind: 'huge'; readonly bytes: number; readonly declareLength?: boolean };

export interface FaultScope {
  /** Meta-data path (`spot/instance-action`), `token` for the token PUT, or omitted for every request. */
  readonly path?: string;
  /** How many requests it hits; omitted = until {@link FakeImds.clearFaults}. */
  readonly times?: number;
}

export interface RecordedImdsRequest {
  readonly method: string;
  /** Meta-data path, or `token`. */
  readonly path: string;
  readonly status: number;
  readonly at: number;
}

export interface FakeImdsOptions {
  readonly instanceId?: string;
  readonly lifeCycle?: 'spot' | 'on-demand';
  readonly localHostname?: string;
  readonly region?: string;
}

const TOKEN_PATH = '/latest/api/token';
const META_PREFIX = '/latest/meta-data/';

export class FakeImds {
  readonly requests: RecordedImdsRequest[] = [];
  readonly instanceId: string;
  private readonly tokens = new Map<string, number>(); // token → expiry (epoch ms)
  private readonly faults: { fault: ImdsFault; scope: FaultScope; left: number }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private spotAction?: SpotInstanceAction;
  private rebalance?: { noticeTime: string };
  private scheduled: ScheduledEvent[] = [];
  private lifecycleState?: string;

  private loopback!: Loopback;

  private constructor(private readonly options: FakeImdsOptions) {
    this.instanceId = options.instanceId ?? 'i-0123456789abcdef0';
  }

  static async start(options: FakeImdsOptions = {}): Promise<FakeImds> {
    const fake = new FakeImds(options);
    fake.loopback = await listenOnLoopback(createServer((req, res) => fake.handle(req, res)));
    return fake;
  }

  get url(): string {
    return this.loopback.url;
  }

  setSpotAction(action: SpotInstanceAction | undefined): void {
    this.spotAction = action;
  }

  setRebalanceRecommendation(value: { noticeTime: string } | undefined): void {
    this.rebalance = value;
  }

  setScheduledEvents(events: ScheduledEvent[]): void {
    this.scheduled = events;
  }

  /** `InService`, `Terminated`, …; undefined = not in an Auto Scaling group (404). */
  setTargetLifecycleState(state: string | undefined): void {
    this.lifecycleState = state;
  }

  /** Invalidates every token handed out, so the next GET with one answers 401. */
  expireTokens(): void {
    this.tokens.clear();
  }

  injectFault(fault: ImdsFault, scope: FaultScope = {}): void {
    this.faults.push({ fault, scope, left: scope.times ?? Number.POSITIVE_INFINITY });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Requests to one path (or `token`), optionally only those answered with `status`. */
  count(path: string, status?: number): number {
    return this.requests.filter((r) => r.path === path && (status === undefined || r.status === status)).length;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await this.loopback.close();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const path = url === TOKEN_PATH ? 'token' : url.startsWith(META_PREFIX) ? url.slice(META_PREFIX.length) : url;
    const reply = (status: number, body = '', type = 'text/plain'): void => {
      this.requests.push({ method: req.method ?? '', path, status, at: Date.now() });
      if (!res.destroyed) res.writeHead(status, { 'content-type': type }).end(body);
    };
    const fault = this.takeFault(path);
    if (fault?.kind === 'status') return reply(fault.status, 'fault injected');
    if (fault?.kind === 'delay') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.answer(req, path, reply);
      }, fault.ms);
      this.timers.add(timer);
      return;
    }
    if (fault?.kind === 'garbage') return reply(200, fault.body ?? '{"action": "termin<<garbage', 'application/json');
    if (fault?.kind === 'huge') return this.stream(res, path, fault.bytes, fault.declareLength ?? false, req.method ?? '');
    this.answer(req, path, reply);
  }

  private answer(req: IncomingMessage, path: string, reply: (status: number, body?: string, type?: string) => void): void {
    if (path === 'token') {
      if (req.method !== 'PUT') return reply(405);
      const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21_600) return reply(400, 'missing or invalid TTL header');
      const token = randomUUID();
      this.tokens.set(token, Date.now() + ttl * 1000);
      return reply(200, token);
    }
    if (req.method !== 'GET') return reply(405);
    const token = req.headers['x-aws-ec2-metadata-token'];
    const expiry = typeof token === 'string' ? this.tokens.get(token) : undefined;
    if (expiry === undefined || expiry <= Date.now()) return reply(401); // IMDSv1 is off
    const body = this.metadata(path);
    if (body === undefined) return reply(404, 'Not Found');
    reply(200, body, body.startsWith('{') || body.startsWith('[') ? 'application/json' : 'text/plain');
  }

  private metadata(path: string): string | undefined {
    switch (path) {
      case 'instance-id':
        return this.instanceId;
      case 'instance-life-cycle':
        return this.options.lifeCycle ?? 'spot';
      case 'local-hostname':
        return this.options.localHostname ?? 'ip-10-0-1-23.eu-west-1.compute.internal';
      case 'placement/region':
        return this.options.region ?? 'eu-west-1';
      case 'spot/instance-action':
        return this.spotAction && JSON.stringify(this.spotAction);
      case 'spot/termination-time':
        return this.spotAction?.time;
      case 'events/recommendations/rebalance':
        return this.rebalance && JSON.stringify(this.rebalance);
      case 'events/maintenance/scheduled':
        return JSON.stringify(this.scheduled);
      case 'autoscaling/target-lifecycle-state':
        return this.lifecycleState;
      default:
        return undefined;
    }
  }

  /** Writes `bytes` of JSON-ish filler, stopping early when the client hangs up; records how much went out. */
  private stream(res: ServerResponse, path: string, bytes: number, declareLength: boolean, method: string): void {
    this.requests.push({ method, path, status: 200, at: Date.now() });
    res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(bytes) } : {}) });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes && !res.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += piece.length;
        this.streamedBytes += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  }

  /** Bytes written by `huge` faults (a client that stops reading early keeps this far below the fault's size). */
  streamedBytes = 0;

  private takeFault(path: string): ImdsFault | undefined {
    const entry = this.faults.find((f) => f.left > 0 && (f.scope.path === undefined || f.scope.path === path));
    if (!entry) return undefined;
    entry.left -= 1;
    return entry.fault;
  }
}
