/**
 * Starts one HTTP server per fake AWS service on 127.0.0.1 and returns the environment that
 * points the real SDK v3 clients at them (`AWS_ENDPOINT_URL_<SERVICE ID>`, region, credentials).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { listenOnLoopback } from '../loopback';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeDynamoDb } from './dynamodb';
import { FakeEc2 } from './ec2';
import { FakeElbv2 } from './elbv2';
import { Faults, type ServiceName } from './faults';
import { decodeRequest, encodeError, encodeSuccess, FakeAwsError, type EncodedResponse, type WireFormat } from './protocol';
import { QueryParams } from './query-params';
import { RateLimits } from './rate-limits';
import { FakeSecretsManager } from './secrets-manager';
import { FakeSns } from './sns';
import { FakeSqs } from './sqs';

export interface FakeAwsOptions {
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** Time for drains, visibility timeouts and the call log. @default Date.now */
  readonly clock?: () => number;
  /** Seed of the generator behind fractional faults. @default 1 */
  readonly seed?: number;
  /**
   * AWS's token-bucket throttling of ELBv2 and EC2 (see rate-limits.ts). `false` turns it off (a test
   * about something else that must not wait on buckets). @default { usedByOthers: 0 }
   */
  readonly rateLimits?: false | { readonly usedByOthers?: number };
}

export interface CallRecord {
  readonly service: ServiceName;
  readonly action: string;
  readonly time: number;
  /** Form fields (query protocols) or the JSON body. */
  readonly input: Record<string, unknown>;
  /** Set when the call was answered with an error. */
  readonly errorCode?: string;
}

export interface FakeAws {
  /** Merge into a child process's env (or `process.env`) before creating SDK clients. */
  readonly env: Record<string, string>;
  readonly endpoints: Readonly<Record<ServiceName, string>>;
  readonly region: string;
  readonly accountId: string;
  readonly ec2: FakeEc2;
  readonly elbv2: FakeElbv2;
  readonly sns: FakeSns;
  readonly dynamodb: FakeDynamoDb;
  readonly secretsManager: FakeSecretsManager;
  readonly sqs: FakeSqs;
  readonly faults: Faults;
  /** The account's token buckets; `rateLimits.configure({ usedByOthers: 0.25 })` to share them. */
  readonly rateLimits: RateLimits;
  /** Every call in arrival order. */
  readonly calls: CallRecord[];
  callsTo(service: ServiceName, action?: string): CallRecord[];
  close(): Promise<void>;
}

interface ServiceAdapter {
  /** The SDK's `serviceId`; the endpoint variable is derived from it exactly as the SDK does. */
  readonly serviceId: string;
  /** SigV4 signing name, checked in the credential scope. */
  readonly signingName: string;
  readonly format: WireFormat;
  throttlingError(): FakeAwsError;
  handle(action: string, input: URLSearchParams | Record<string, unknown>): Promise<string | object> | string | object;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** `AWS_ENDPOINT_URL_` + the service id upper-cased, spaces → underscores (`@smithy/core/endpoints`). */
export const endpointEnvVar = (serviceId: string): string =>
  ['AWS_ENDPOINT_URL', ...serviceId.split(' ').map((w) => w.toUpperCase())].join('_');

export async function startFakeAws(options: FakeAwsOptions = {}): Promise<FakeAws> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const now = options.clock ?? Date.now;
  // Random per run: nothing secret-looking is committed, and a client using other credentials is caught.
  const accessKeyId = `AKIAFAKE${randomBytes(6).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString('base64');
  const endpoints = {} as Record<ServiceName, string>;

  const ec2 = new FakeEc2(accountId);
  const elbv2 = new FakeElbv2(region, accountId, now);
  const sns = new FakeSns(region, accountId, now);
  const dynamodb = new FakeDynamoDb();
  const secretsManager = new FakeSecretsManager(region, accountId, now);
  const sqs = new FakeSqs(region, accountId, now, () => endpoints.sqs);

  const query = (fake: FakeEc2 | FakeElbv2 | FakeSns) => (action: string, input: URLSearchParams | Record<string, unknown>) =>
    fake.handle(action, new QueryParams(input as URLSearchParams, (n, p) => fake.invalidParameter(n, p)));
  const json = (fake: FakeDynamoDb | FakeSecretsManager | FakeSqs) => (action: string, input: URLSearchParams | Record<string, unknown>) =>
    fake.handle(action, input as Record<string, unknown>);
  const adapters: Record<ServiceName, ServiceAdapter> = {
    ec2: { serviceId: 'EC2', signingName: 'ec2', format: ec2.format, throttlingError: () => ec2.throttlingError(), handle: query(ec2) },
    elbv2: { serviceId: 'Elastic Load Balancing v2', signingName: 'elasticloadbalancing', format: elbv2.format, throttlingError: () => elbv2.throttlingError(), handle: query(elbv2) },
    sns: { serviceId: 'SNS', signingName: 'sns', format: sns.format, throttlingError: () => sns.throttlingError(), handle: query(sns) },
    dynamodb: { serviceId: 'DynamoDB', signingName: 'dynamodb', format: dynamodb.format, throttlingError: () => dynamodb.throttlingError(), handle: json(dynamodb) },
    secretsManager: { serviceId: 'Secrets Manager', signingName: 'secretsmanager', format: secretsManager.format, throttlingError: () => secretsManager.throttlingError(), handle: json(secretsManager) },
    sqs: { serviceId: 'SQS', signingName: 'sqs', format: sqs.format, throttlingError: () => sqs.throttlingError(), handle: json(sqs) },
  };

  const faults = new Faults(options.seed ?? 1);
  const rateLimits = new RateLimits({ usedByOthers: options.rateLimits ? options.rateLimits.usedByOthers : 0, now });
  if (options.rateLimits === false) rateLimits.configure({ enabled: false });
  const calls: CallRecord[] = [];
  let requestCount = 0;

  async function respond(service: ServiceName, req: http.IncomingMessage, body: string): Promise<EncodedResponse> {
    const adapter = adapters[service];
    const requestId = `fake-${service}-${++requestCount}`;
    let action = '(undecoded)';
    let input: Record<string, unknown> = {};
    try {
      checkSignature(req.headers.authorization, accessKeyId, region, adapter.signingName);
      const decoded = decodeRequest(adapter.format, req.headers, body);
      action = decoded.action;
      input = decoded.input instanceof URLSearchParams ? withoutEnvelope(decoded.input) : decoded.input;
      const fault = faults.decide(service, action);
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.error) throw fault.error === 'throttle' ? adapter.throttlingError() : fault.error;
      if (!rateLimits.take(service, action)) throw adapter.throttlingError();
      const result = await adapter.handle(action, decoded.input);
      calls.push({ service, action, time: now(), input });
      return encodeSuccess(adapter.format, action, result, requestId);
    } catch (err) {
      const error = err instanceof FakeAwsError ? err : new FakeAwsError('InternalFailure', `fake ${service} crashed: ${String(err)}`, 500);
      calls.push({ service, action, time: now(), input, errorCode: error.code });
      return encodeError(adapter.format, error, requestId);
    }
  }

  const servers = await Promise.all(
    (Object.keys(adapters) as ServiceName[]).map(async (service) => {
      const server = http.createServer((req, res) => {
        readBody(req).then(
          (body) => respond(service, req, body),
          () => ({ status: 413, headers: {}, body: 'request body too large' }),
        ).then((r) => {
          res.writeHead(r.status, r.headers);
          res.end(r.body);
        });
      });
      const loopback = await listenOnLoopback(server);
      endpoints[service] = loopback.url;
      return loopback;
    }),
  );

  const env: Record<string, string> = {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
  };
  for (const [service, adapter] of Object.entries(adapters)) env[endpointEnvVar(adapter.serviceId)] = endpoints[service as ServiceName];

  return {
    env, endpoints, region, accountId, ec2, elbv2, sns, dynamodb, secretsManager, sqs, faults, rateLimits, calls,
    callsTo: (service, action) => calls.filter((c) => c.service === service && (!action || c.action === action)),
    async close() {
      sqs.closing.abort();
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

/** Only checks the SigV4 credential scope (key, region, service) — not the signature itself. */
function checkSignature(header: string | undefined, accessKeyId: string, region: string, signingName: string): void {
  if (!header) throw new FakeAwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(header);
  if (!header.startsWith('AWS4-HMAC-SHA256 ') || !scope) {
    throw new FakeAwsError('IncompleteSignature', 'Authorization header is not AWS4-HMAC-SHA256 with a credential scope', 403);
  }
  if (scope[1] !== accessKeyId) {
    throw new FakeAwsError('InvalidClientTokenId', 'The security token included in the request is invalid (not the fake\'s AWS_ACCESS_KEY_ID).', 403);
  }
  if (scope[2] !== region || scope[3] !== signingName) {
    throw new FakeAwsError('SignatureDoesNotMatch', `Credential should be scoped to ${region}/${signingName}, not ${scope[2]}/${scope[3]}`, 403);
  }
}

function withoutEnvelope(form: URLSearchParams): Record<string, string> {
  const { Action: _action, Version: _version, ...rest } = Object.fromEntries(form);
  return rest;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
