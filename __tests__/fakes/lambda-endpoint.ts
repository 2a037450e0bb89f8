/**
 * A fake AWS Lambda REST endpoint on 127.0.0.1 for `AWS_ENDPOINT_URL_LAMBDA` (or a client's
 * `endpoint`). It speaks the Invoke API the SDK uses — POST /2015-03-31/functions/{name}/invocations —
 * answering 202 for `X-Amz-Invocation-Type: Event` and 200 (payload `null`) for RequestResponse,
 * records every call, and can throttle or fail on demand.
 *
 *   const lambda = await FakeLambdaEndpoint.start();
 *   lambda.failNext(2, 'throttle');               // two 429 TooManyRequestsException, then 202
 *   const [invocation] = await lambda.waitForInvocations(1);
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, type Loopback } from './loopback';

/** 429 TooManyRequestsException, 500 ServiceException, 403 AccessDeniedException (not worth retrying). */
export type InvokeFault = 'throttle' | 'server-error' | 'access-denied';

export interface RecordedInvocation {
  readonly functionName: string;
  readonly invocationType: string;
  /** The raw payload, and parsed when it is JSON. */
  readonly body: string;
  readonly payload: unknown;
  readonly at: number;
  /** What the fake answered. */
  readonly status: number;
}

/** Called for every invoke before it is answered; return a fault to fail this one. */
export type InvokeHook = (invocation: Omit<RecordedInvocation, 'status'>) => InvokeFault | void;

const FAULT_STATUS: Record<InvokeFault, number> = { throttle: 429, 'server-error': 500, 'access-denied': 403 };
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations(?:\?.*)?$/;

export class FakeLambdaEndpoint {
  /** Every invoke call, accepted or failed, in order. */
  readonly calls: RecordedInvocation[] = [];
  private readonly queuedFaults: InvokeFault[] = [];
  private readonly hooks = new Set<InvokeHook>();
  private readonly waiters = new Set<() => void>();

  private loopback!: Loopback;

  private constructor() {}

  static async start(): Promise<FakeLambdaEndpoint> {
    const fake = new FakeLambdaEndpoint();
    fake.loopback = await listenOnLoopback(createServer((req, res) => void fake.handle(req, res)));
    return fake;
  }

  get url(): string {
    return this.loopback.url;
  }

  /** Accepted invocations only (202/200): what Lambda actually queued or ran. */
  get invocations(): RecordedInvocation[] {
    return this.calls.filter((c) => c.status < 300);
  }

  /** The next `count` invokes fail with `fault`. */
  failNext(count: number, fault: InvokeFault): void {
    for (let i = 0; i < count; i++) this.queuedFaults.push(fault);
  }

  /** Registers a hook; returns a function that removes it. */
  onInvoke(hook: InvokeHook): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  /** Resolves with the accepted invocations once there are at least `count`, or rejects after `timeoutMs`. */
  waitForInvocations(count: number, timeoutMs = 10_000): Promise<RecordedInvocation[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.invocations.length < count) return;
        cleanup();
        resolve(this.invocations);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`expected ${count} accepted invocation(s) within ${timeoutMs} ms, got ${this.invocations.length}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): Promise<void> {
    return this.loopback.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = INVOKE_PATH.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || !match) {
      return void sendError(res, 404, 'ResourceNotFoundException', `no such route: ${req.method} ${req.url}`);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const invocation = {
      functionName: decodeURIComponent(match[1]),
      invocationType: String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse'),
      body,
      payload: parseJson(body),
      at: Date.now(),
    };
    let fault = this.queuedFaults.shift();
    for (const hook of this.hooks) fault = hook(invocation) ?? fault;
    const status = fault ? FAULT_STATUS[fault] : invocation.invocationType === 'Event' ? 202 : 200;
    this.calls.push({ ...invocation, status });
    if (fault === 'throttle') {
      sendError(res, 429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: 'CallerRateLimitExceeded' });
    } else if (fault === 'server-error') {
      sendError(res, 500, 'ServiceException', 'fault injected by FakeLambdaEndpoint');
    } else if (fault === 'access-denied') {
      sendError(res, 403, 'AccessDeniedException', 'not authorized to perform: lambda:InvokeFunction');
    } else if (status === 202) {
      res.writeHead(202, { 'x-amzn-requestid': `req-${this.calls.length}` }).end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' }).end('null');
    }
    for (const waiter of [...this.waiters]) waiter();
  }
}

function sendError(res: ServerResponse, status: number, type: string, message: string, extra: object = {}): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type })
    .end(JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', message, ...extra }));
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
