/**
 * The one HTTP call shape the monitoring providers need: JSON over global fetch, cut after a few
 * seconds (the notice window is two minutes), non-2xx turned into an error that says which request,
 * which status and the start of the body — never the headers, which carry credentials, and never the
 * path of a request marked `secretPath` (host only).
 */
export const HTTP_TIMEOUT_MS = 3_000;

export class HttpError extends Error {
  constructor(
    /** `METHOD /path` of the failed request, without the query (it may identify hosts, never keys). */
    readonly operation: string,
    message: string,
    readonly status?: number,
    name = 'HttpError',
  ) {
    super(message);
    this.name = name;
  }
}

export interface JsonRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** Sent verbatim (so a signature over it matches byte for byte). */
  readonly body?: string;
  /**
   * The URL's path and query are a secret (a webhook URL often is its own credential): errors then
   * name the host only, and any echo of the path in a response body is masked.
   */
  readonly secretPath?: boolean;
}

export async function requestJson<T = unknown>(request: JsonRequest): Promise<T> {
  const url = new URL(request.url);
  const operation = request.secretPath ? `${request.method} ${url.host}` : `${request.method} ${url.pathname}`;
  const mask = (text: string) => (request.secretPath && url.pathname.length > 1 ? text.replaceAll(url.pathname, '/…') : text);
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: { accept: 'application/json', ...(request.body ? { 'content-type': 'application/json' } : {}), ...request.headers },
      body: request.body,
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      redirect: 'error', // a redirect would resend credentials to a host we did not choose
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    const why = timedOut ? `no response within ${HTTP_TIMEOUT_MS} ms` : (e.cause?.code ?? e.message);
    throw new HttpError(operation, `${operation} to ${url.host} failed: ${why}`, undefined, timedOut ? 'TimeoutError' : 'NetworkError');
  }
  const text = await response.text();
  if (!response.ok) {
    throw new HttpError(operation, `${operation} returned HTTP ${response.status}: ${mask(text.slice(0, 200 + url.pathname.length)).slice(0, 200)}`, response.status);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}
