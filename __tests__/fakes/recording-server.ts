/** A recording HTTP server on 127.0.0.1 (random port) standing in for Datadog, Mackerel or a webhook receiver. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from './loopback';

export interface RecordedRequest { method: string; path: string; headers: IncomingHttpHeaders; body: string }
export type Responder = (req: RecordedRequest) => { status: number; body?: unknown; delayMs?: number };

export async function startLocalServer(respond: Responder = () => ({ status: 200, body: {} })) {
  const requests: RecordedRequest[] = [];
  let responder = respond;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const answer = responder(recorded);
      const send = () => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
      else send();
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    requests,
    respondWith(next: Responder) { responder = next; },
    close,
  };
}
