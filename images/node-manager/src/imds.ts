/**
 * A small IMDSv2 client. Written here rather than using @aws-sdk/ec2-metadata-service because
 * that package is not installed, and the daemon needs exactly four things it would hide anyway:
 * a 404 as an answer (not an error), a short per-request timeout, the token refreshed before it
 * expires, and a single retry with a fresh token on 401.
 */
import { Agent, request as httpRequest } from 'node:http';

export type ImdsFailure = 'timeout' | 'network' | 'status' | 'unauthorized' | 'oversize';

/**
 * The largest body read from IMDS. Every documented answer is far smaller (a scheduled-events
 * list of a few events is < 1 KiB); a larger one is cut off rather than buffered, so a broken or
 * hostile endpoint cannot grow the daemon past its memory limit.
 */
export const MAX_IMDS_BODY_BYTES = 8 * 1024;

/** After a 401 that a fresh token did not cure, IMDS is left alone this long, doubling per repeat up to the cap. */
export const UNAUTHORIZED_BACKOFF_MS = { base: 500, max: 10_000 } as const;

export class ImdsError extends Error {
  constructor(
    readonly path: string,
    readonly reason: ImdsFailure,
    message: string,
    readonly status?: number,
    /** No request was sent: the client is waiting out a 401 storm. */
    readonly backingOff = false,
  ) {
    super(`IMDS ${path}: ${message}`);
    this.name = 'ImdsError';
  }
}

/** `found: false` is IMDS saying "nothing here" (404) — for signal paths the normal, quiet case. */
export type ImdsResult = { readonly found: true; readonly body: string } | { readonly found: false };

export interface ImdsClientOptions {
  /** Base URL, e.g. http://169.254.169.254 (AWS_EC2_METADATA_SERVICE_ENDPOINT). */
  readonly endpoint: string;
  readonly timeoutMs: number;
  /** Requested token lifetime; IMDS allows 1 to 21600 seconds. */
  readonly tokenTtlSeconds: number;
  readonly now?: () => number;
}

export class ImdsClient {
  private token?: { readonly value: string; readonly refreshAt: number };
  private tokenRequest?: Promise<string>;
  private readonly now: () => number;
  /** Consecutive requests refused with 401 even with a fresh token, and when to ask again. */
  private unauthorized = { streak: 0, until: 0 };

  constructor(private readonly options: ImdsClientOptions) {
    this.now = options.now ?? Date.now;
  }

  /** GETs `/latest/meta-data/<path>`; throws {@link ImdsError} for anything but 200 or 404. */
  async get(path: string, signal?: AbortSignal): Promise<ImdsResult> {
    if (this.now() < this.unauthorized.until) {
      // A 401 storm: every request would cost a token PUT and two GETs; wait it out instead.
      throw new ImdsError(path, 'unauthorized', `backing off after ${this.unauthorized.streak} refused tokens`, 401, true);
    }
    let response = await this.request('GET', path, signal, await this.currentToken(signal));
    if (response.status === 401) {
      // The token expired or IMDS restarted: a new token, and one more try.
      this.token = undefined;
      response = await this.request('GET', path, signal, await this.currentToken(signal));
      if (response.status === 401) {
        const streak = this.unauthorized.streak + 1;
        const delayMs = Math.min(UNAUTHORIZED_BACKOFF_MS.max, UNAUTHORIZED_BACKOFF_MS.base * 2 ** (streak - 1));
        this.unauthorized = { streak, until: this.now() + delayMs };
        this.token = undefined;
        throw new ImdsError(path, 'unauthorized', `401 even with a fresh token; next try in ${delayMs} ms`, 401);
      }
    }
    this.unauthorized = { streak: 0, until: 0 };
    if (response.status === 404) return { found: false };
    if (response.status !== 200) throw new ImdsError(path, 'status', `HTTP ${response.status}`, response.status);
    return { found: true, body: response.body };
  }

  /** Like {@link get} for paths that always exist (instance-id, placement/region). */
  async getText(path: string, signal?: AbortSignal): Promise<string> {
    const result = await this.get(path, signal);
    if (!result.found) throw new ImdsError(path, 'status', 'HTTP 404 for a path that should exist', 404);
    return result.body.trim();
  }

  private currentToken(signal?: AbortSignal): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return Promise.resolve(this.token.value);
    // Concurrent signal checks share one PUT instead of each asking for a token.
    this.tokenRequest ??= this.fetchToken(signal).finally(() => (this.tokenRequest = undefined));
    return this.tokenRequest;
  }

  private async fetchToken(signal?: AbortSignal): Promise<string> {
    const ttl = this.options.tokenTtlSeconds;
    const requestedAt = this.now();
    const response = await this.request('PUT', TOKEN_PATH, signal, undefined, {
      'x-aws-ec2-metadata-token-ttl-seconds': String(ttl),
    });
    if (response.status !== 200 || !response.body) {
      throw new ImdsError(TOKEN_PATH, 'status', `token request answered HTTP ${response.status}`, response.status);
    }
    // Refresh a tenth of the lifetime (at most a minute) early, so no request races the expiry.
    const marginMs = Math.min(60, ttl / 10) * 1000;
    this.token = { value: response.body, refreshAt: requestedAt + ttl * 1000 - marginMs };
    return response.body;
  }

  /**
   * node:http rather than fetch: the AWS SDK loads node:http anyway, while fetch would pull in
   * undici (~10 MiB more resident memory in a daemon that runs on every node).
   */
  private request(
    method: 'GET' | 'PUT',
    path: string,
    signal: AbortSignal | undefined,
    token: string | undefined,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    const url = path === TOKEN_PATH ? `${this.options.endpoint}${TOKEN_PATH}` : `${this.options.endpoint}/latest/meta-data/${path}`;
    const timeoutMs = this.options.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method,
          headers: token ? { ...headers, 'x-aws-ec2-metadata-token': token } : headers,
          signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
          agent: keepAlive,
        },
        (res) => {
          const declared = Number(res.headers['content-length']);
          if (declared > MAX_IMDS_BODY_BYTES) return tooLarge(`declared ${declared} bytes`);
          const chunks: Buffer[] = [];
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > MAX_IMDS_BODY_BYTES) return tooLarge(`more than ${MAX_IMDS_BODY_BYTES} bytes`);
            chunks.push(chunk);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', fail);
        },
      );
      let settled = false;
      function tooLarge(detail: string): void {
        if (settled) return;
        settled = true;
        req.destroy(); // stop reading: nothing more is buffered
        reject(new ImdsError(path, 'oversize', `body over the ${MAX_IMDS_BODY_BYTES}-byte cap (${detail})`));
      }
      function fail(err: Error & { code?: string }): void {
        if (settled) return;
        settled = true;
        if (timeout.aborted) reject(new ImdsError(path, 'timeout', `no answer within ${timeoutMs} ms`));
        else if (signal?.aborted) reject(err); // the daemon is stopping
        else reject(new ImdsError(path, 'network', err.code ?? err.message));
      }
      req.on('error', fail);
      req.end();
    });
  }
}

/** IMDS is polled every few seconds: reuse the connection. */
const keepAlive = new Agent({ keepAlive: true, maxSockets: 4 });

const TOKEN_PATH = '/latest/api/token';
