/**
 * The one HTTP call shape the monitoring providers need: JSON over global fetch, cut after a few
 * seconds (the notice window is two minutes), non-2xx turned into an error that says which request,
 * which status and the start of the body — never the headers, which carry credentials.
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
}

export async function requestJson<T = unknown>(request: JsonRequest): Promise<T> {
  const url = new URL(request.url);
  const operation = `${request.method} ${url.pathname}`;
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
    throw new HttpError(operation, `${operation} returned HTTP ${response.status}: ${text.slice(0, 200)}`, response.status);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}
