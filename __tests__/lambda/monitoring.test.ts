import { createHmac } from 'node:crypto';
import { silenceMonitoring } from '../../lambda/termination-handler/monitoring';
import { DATADOG_MUTE_GRACE_SECONDS } from '../../lambda/termination-handler/monitoring/datadog';
import { INSTANCE_ID, SECRET_ARN, standardAccount, stepContext } from './support/fixtures';
import { startLocalServer } from '../fakes/recording-server';
import { awsErrors, SimulatedAws } from './support/simulated-aws';

type Server = Awaited<ReturnType<typeof startLocalServer>>;

describe('silenceMonitoring', () => {
  let sim: SimulatedAws;
  let server: Server;
  beforeAll(async () => { server = await startLocalServer(); });
  afterAll(() => server.close());
  beforeEach(() => {
    sim = standardAccount(new SimulatedAws().install());
    server.requests.length = 0;
    server.respondWith(() => ({ status: 200, body: {} }));
  });
  afterEach(() => sim.restore());

  const contextFor = (provider: string, secret: unknown, env: Record<string, string> = {}) => {
    sim.secrets.set(SECRET_ARN, JSON.stringify(secret));
    return stepContext(sim, { MONITORING_PROVIDER: provider, MONITORING_SECRET_ARN: SECRET_ARN, ...env });
  };

  it('does nothing for provider none', async () => {
    const outcome = await silenceMonitoring(await stepContext(sim), new Map());
    expect(outcome).toEqual({ failures: [], skipped: 'MONITORING_PROVIDER is none' });
    expect(sim.calls).toEqual([]);
  });

  it('datadog: mutes the host until a little after the notice time, with both keys', async () => {
    const ctx = await contextFor('datadog', { apiKey: 'dd-api', appKey: 'dd-app' }, { DATADOG_API_URL: server.url });
    const outcome = await silenceMonitoring(ctx, new Map());

    expect(outcome.failures).toEqual([]);
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req).toMatchObject({ method: 'POST', path: `/api/v1/host/${INSTANCE_ID}/mute` });
    expect(req!.headers).toMatchObject({ 'dd-api-key': 'dd-api', 'dd-application-key': 'dd-app', 'content-type': 'application/json' });
    const body = JSON.parse(req!.body);
    expect(body).toEqual({
      end: Math.floor(Date.parse(ctx.notice.noticeTime) / 1000) + DATADOG_MUTE_GRACE_SECONDS,
      override: true,
      message: expect.stringContaining(INSTANCE_ID),
    });
  });

  it("mackerel: finds the host by the agent's EC2 custom identifier and sets it to maintenance", async () => {
    server.respondWith((req) => (req.method === 'GET' ? { status: 200, body: { hosts: [{ id: '3Ejz5x' }] } } : { status: 200, body: { success: true } }));
    const ctx = await contextFor('mackerel', { apiKey: 'mkr-key' }, { MACKEREL_API_URL: server.url });
    const outcome = await silenceMonitoring(ctx, new Map());

    expect(outcome).toMatchObject({ failures: [], detail: { provider: 'mackerel', hostId: '3Ejz5x', action: 'status set to maintenance' } });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/v0/hosts?customIdentifier=${INSTANCE_ID}.ec2.amazonaws.com`,
      'POST /api/v0/hosts/3Ejz5x/status',
    ]);
    for (const r of server.requests) expect(r.headers['x-api-key']).toBe('mkr-key');
    expect(JSON.parse(server.requests[1]!.body)).toEqual({ status: 'maintenance' });
  });

  it('mackerel: falls back to the bare instance id and retires when asked to', async () => {
    server.respondWith((req) =>
      req.method === 'GET'
        ? { status: 200, body: { hosts: req.path.endsWith(`=${INSTANCE_ID}`) ? [{ id: 'h1' }] : [] } }
        : { status: 200, body: { success: true } },
    );
    const ctx = await contextFor('mackerel', { apiKey: 'mkr-key' }, { MACKEREL_API_URL: server.url, MACKEREL_ACTION: 'retire' });
    const outcome = await silenceMonitoring(ctx, new Map());
    expect(outcome.failures).toEqual([]);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/v0/hosts?customIdentifier=${INSTANCE_ID}.ec2.amazonaws.com`,
      `GET /api/v0/hosts?customIdentifier=${INSTANCE_ID}`,
      'POST /api/v0/hosts/h1/retire',
    ]);
    expect(JSON.parse(server.requests[2]!.body)).toEqual({});
  });

  it('mackerel: a host Mackerel does not know is nothing to silence, not a failure', async () => {
    server.respondWith(() => ({ status: 200, body: { hosts: [] } }));
    const ctx = await contextFor('mackerel', { apiKey: 'mkr-key' }, { MACKEREL_API_URL: server.url });
    const outcome = await silenceMonitoring(ctx, new Map());
    expect(outcome.failures).toEqual([]);
    expect(server.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('mackerel: an unexpected hosts body fails in one line naming the request, and changes nothing', async () => {
    server.respondWith(() => ({ status: 200, body: { hosts: [{ name: 'no-id' }] } }));
    const ctx = await contextFor('mackerel', { apiKey: 'mkr-key' }, { MACKEREL_API_URL: server.url });
    const outcome = await silenceMonitoring(ctx, new Map());
    expect(outcome.failures).toEqual([
      expect.objectContaining({ operation: 'mackerel GET /api/v0/hosts', error: expect.stringMatching(/unexpected body \(hosts\.0\.id: [^\n]+\)$/) }),
    ]);
    expect(server.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('webhook: posts the notice with an HMAC-SHA256 signature of the exact body', async () => {
    const hmacSecret = 'a-webhook-secret-of-some-length';
    const ctx = await contextFor('webhook', { hmacSecret }, { WEBHOOK_URL: `${server.url}/hooks/spot` });
    const outcome = await silenceMonitoring(ctx, new Map());

    expect(outcome.failures).toEqual([]);
    const [req] = server.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/hooks/spot' });
    const expected = `sha256=${createHmac('sha256', hmacSecret).update(req!.body).digest('hex')}`;
    expect(req!.headers['x-signature-256']).toBe(expected);
    expect(JSON.parse(req!.body)).toMatchObject({ type: 'spot-ready-eks.interruption', cluster: 'demo', notice: ctx.notice });
  });

  it.each([
    [500, 'server-error'],
    [403, 'access-denied'],
    [429, 'throttled'],
  ])('reports HTTP %i as a %s failure naming the request', async (status, kind) => {
    server.respondWith(() => ({ status, body: { errors: ['nope'] } }));
    const ctx = await contextFor('datadog', { apiKey: 'k', appKey: 'a' }, { DATADOG_API_URL: server.url });
    const outcome = await silenceMonitoring(ctx, new Map());
    expect(outcome.failures).toEqual([
      expect.objectContaining({ operation: `datadog POST /api/v1/host/${INSTANCE_ID}/mute`, kind, error: expect.stringContaining(`HTTP ${status}`) }),
    ]);
  });

  it('gives up on a silent server after the short timeout', async () => {
    server.respondWith(() => ({ status: 200, body: {}, delayMs: 5_000 }));
    const ctx = await contextFor('datadog', { apiKey: 'k', appKey: 'a' }, { DATADOG_API_URL: server.url });
    const outcome = await silenceMonitoring(ctx, new Map());
    expect(outcome.failures).toEqual([expect.objectContaining({ kind: 'timeout', error: expect.stringContaining('no response within') })]);
  });

  it('reads the secret once per container', async () => {
    const ctx = await contextFor('datadog', { apiKey: 'k', appKey: 'a' }, { DATADOG_API_URL: server.url });
    const cache = new Map();
    await silenceMonitoring(ctx, cache);
    await silenceMonitoring(ctx, cache);
    expect(sim.callsTo('GetSecretValue')).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('names the missing secret fields, never their values, and sends nothing', async () => {
    const ctx = await contextFor('datadog', { apiKey: 'super-secret-value' }, { DATADOG_API_URL: server.url });
    const outcome = await silenceMonitoring(ctx, new Map());
    expect(outcome.failures[0]!.error).toContain(`secret ${SECRET_ARN} is missing or has invalid fields: appKey`);
    expect(JSON.stringify(outcome)).not.toContain('super-secret-value');
    expect(server.requests).toHaveLength(0);
  });

  it('reports a Secrets Manager failure as GetSecretValue, and retries it on the next call', async () => {
    const ctx = await contextFor('datadog', { apiKey: 'k', appKey: 'a' }, { DATADOG_API_URL: server.url });
    sim.fail('GetSecretValue', () => awsErrors.accessDenied('AccessDeniedException'), 1);
    const cache = new Map();
    const first = await silenceMonitoring(ctx, cache);
    expect(first.failures).toEqual([expect.objectContaining({ operation: 'GetSecretValue', kind: 'access-denied' })]);
    const second = await silenceMonitoring(ctx, cache);
    expect(second.failures).toEqual([]);
    expect(sim.callsTo('GetSecretValue')).toHaveLength(2);
  });
});
