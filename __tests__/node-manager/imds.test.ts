import { ImdsClient, ImdsError } from '../../images/node-manager/src/imds';
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
});
