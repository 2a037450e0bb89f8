import { ImdsClient, ImdsError, MAX_IMDS_BODY_BYTES, UNAUTHORIZED_BACKOFF_MS } from '../../images/node-manager/src/imds';
import { FakeImds } from '../fakes/imds';

describe('IMDSv2 client', () => {
  let imds: FakeImds;
  const client = (tokenTtlSeconds = 21_600, timeoutMs = 500) =>
    new ImdsClient({ endpoint: imds.url, timeoutMs, tokenTtlSeconds });

  beforeEach(async () => {
    imds = await FakeImds.start({ instanceId: 'i-0abc1234def567890' });
  });
  afterEach(() => imds.close());

  it('gets a token with the TTL header once and sends it with every GET', async () => {
    const c = client();
    for (let i = 0; i < 5; i++) expect(await c.getText('instance-id')).toBe('i-0abc1234def567890');
    expect(imds.count('token', 200)).toBe(1);
    expect(imds.count('instance-id', 200)).toBe(5);
    expect(imds.count('instance-id', 401)).toBe(0);
  });

  it('shares one token request between concurrent GETs', async () => {
    const c = client();
    await Promise.all([c.get('instance-id'), c.get('spot/instance-action'), c.get('local-hostname')]);
    expect(imds.count('token')).toBe(1);
  });

  it('refreshes the token before it expires, so no request meets a 401', async () => {
    const c = client(1);
    for (let i = 0; i < 8; i++) {
      await c.getText('instance-id');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(imds.count('token', 200)).toBeGreaterThanOrEqual(2);
    expect(imds.count('instance-id', 401)).toBe(0);
  });

  it('fetches a new token and retries once on 401', async () => {
    const c = client();
    await c.getText('instance-id');
    imds.expireTokens();
    expect(await c.getText('instance-life-cycle')).toBe('spot');
    expect(imds.count('instance-life-cycle', 401)).toBe(1);
    expect(imds.count('token', 200)).toBe(2);
  });

  it('gives up with an "unauthorized" error when the fresh token is refused too', async () => {
    imds.injectFault({ kind: 'status', status: 401 }, { path: 'instance-id', times: 2 });
    await expect(client().get('instance-id')).rejects.toMatchObject({ name: 'ImdsError', reason: 'unauthorized' });
    expect(imds.count('instance-id', 401)).toBe(2);
  });

  it('answers found:false for 404 and throws for 500', async () => {
    const c = client();
    await expect(c.get('spot/instance-action')).resolves.toEqual({ found: false });
    imds.injectFault({ kind: 'status', status: 500 }, { path: 'spot/instance-action', times: 1 });
    await expect(c.get('spot/instance-action')).rejects.toMatchObject({ reason: 'status', status: 500 });
  });

  it('times out a slow answer instead of hanging', async () => {
    imds.injectFault({ kind: 'delay', ms: 5_000 }, { path: 'spot/instance-action', times: 1 });
    const err = await client(21_600, 150).get('spot/instance-action').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImdsError);
    expect(err).toMatchObject({ reason: 'timeout', path: 'spot/instance-action' });
  });

  it('reports a network error when nothing listens', async () => {
    const url = imds.url;
    await imds.close();
    const err = await new ImdsClient({ endpoint: url, timeoutMs: 500, tokenTtlSeconds: 60 }).get('instance-id').catch((e) => e);
    expect(err).toMatchObject({ name: 'ImdsError', reason: 'network' });
    imds = await FakeImds.start(); // afterEach closes it
  });

  it.each([
    ['streamed without a length', false],
    ['declared by content-length', true],
  ])('refuses a 50 MiB body %s at the cap, without reading the rest', async (_, declareLength) => {
    imds.injectFault({ kind: 'huge', bytes: 50 * 1024 * 1024, declareLength }, { path: 'events/maintenance/scheduled', times: 1 });
    const c = client();
    const err = await c.get('events/maintenance/scheduled').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ImdsError', reason: 'oversize', path: 'events/maintenance/scheduled' });
    expect((err as Error).message).toContain(String(MAX_IMDS_BODY_BYTES));
    // Socket buffers let a few MiB out before the server notices the hang-up; never the 50.
    expect(imds.streamedBytes).toBeLessThan(8 * 1024 * 1024);
    await expect(c.get('events/maintenance/scheduled')).resolves.toEqual({ found: true, body: '[]' }); // the next answer is read as usual
  });

  it('reads a body right at the cap', async () => {
    const body = JSON.stringify([{ Code: 'system-reboot', NotBefore: 'x', Description: 'd'.repeat(MAX_IMDS_BODY_BYTES - 60) }]);
    expect(body.length).toBeLessThanOrEqual(MAX_IMDS_BODY_BYTES);
    imds.injectFault({ kind: 'garbage', body }, { path: 'events/maintenance/scheduled', times: 1 });
    await expect(client().get('events/maintenance/scheduled')).resolves.toEqual({ found: true, body });
  });

  it('backs off during a 401 storm: no request at all until the pause is over, doubling per repeat', async () => {
    let now = 1_000_000;
    const c = new ImdsClient({ endpoint: imds.url, timeoutMs: 500, tokenTtlSeconds: 60, now: () => now });
    imds.injectFault({ kind: 'status', status: 401 }, { path: 'instance-id' });
    await expect(c.get('instance-id')).rejects.toMatchObject({ reason: 'unauthorized', backingOff: false });
    const asked = imds.requests.length;
    for (let i = 0; i < 20; i++) await expect(c.get('instance-id')).rejects.toMatchObject({ reason: 'unauthorized', backingOff: true });
    expect(imds.requests.length).toBe(asked); // twenty polls, not one request

    now += UNAUTHORIZED_BACKOFF_MS.base; // the first pause is over: one more round, refused again
    await expect(c.get('instance-id')).rejects.toMatchObject({ message: expect.stringContaining(`next try in ${2 * UNAUTHORIZED_BACKOFF_MS.base} ms`) });
    now += UNAUTHORIZED_BACKOFF_MS.base;
    await expect(c.get('instance-id')).rejects.toMatchObject({ message: expect.stringMatching(/backing off/) });

    imds.clearFaults(); // IMDS recovers: after the pause the client reads again, and the streak resets
    now += 2 * UNAUTHORIZED_BACKOFF_MS.base;
    await expect(c.getText('instance-id')).resolves.toBe('i-0abc1234def567890');
    await expect(c.getText('instance-id')).resolves.toBe('i-0abc1234def567890');
  });

  it('caps the 401 pause', async () => {
    let now = 0;
    const c = new ImdsClient({ endpoint: imds.url, timeoutMs: 500, tokenTtlSeconds: 60, now: () => now });
    imds.injectFault({ kind: 'status', status: 401 }, { path: 'instance-id' });
    let last = '';
    for (let i = 0; i < 12; i++) {
      last = ((await c.get('instance-id').catch((e: Error) => e)) as Error).message;
      now += UNAUTHORIZED_BACKOFF_MS.max;
    }
    expect(last).toContain(`next try in ${UNAUTHORIZED_BACKOFF_MS.max} ms`);
  });
});
