import { ImdsClient } from '../../images/node-manager/src/imds';
import { decide, MIN_ACTION_WINDOW_MS } from '../../images/node-manager/src/policy';
import { asgTerminationMonitor } from '../../images/node-manager/src/signals/asg-termination';
import { rebalanceMonitor } from '../../images/node-manager/src/signals/rebalance';
import { scheduledMaintenanceMonitor } from '../../images/node-manager/src/signals/scheduled-maintenance';
import { spotInterruptionMonitor } from '../../images/node-manager/src/signals/spot-interruption';
import { SignalParseError, type SignalContext } from '../../images/node-manager/src/signals/types';
import { FakeImds } from '../fakes/imds';

describe('signal monitors', () => {
  let imds: FakeImds;
  let clock = Date.parse('2026-11-22T11:58:00Z');
  let ctx: SignalContext;

  beforeEach(async () => {
    imds = await FakeImds.start({ instanceId: 'i-0fedcba9876543210' });
    ctx = {
      imds: new ImdsClient({ endpoint: imds.url, timeoutMs: 500, tokenTtlSeconds: 60 }),
      instanceId: 'i-0fedcba9876543210',
      nodeName: 'ip-10-0-1-23.eu-west-1.compute.internal',
      now: () => clock,
    };
  });
  afterEach(() => imds.close());

  describe('spot-interruption', () => {
    it('finds nothing while IMDS answers 404, then the notice with its action and time', async () => {
      const monitor = spotInterruptionMonitor();
      expect(await monitor.check(ctx)).toEqual([]);
      imds.setSpotAction({ action: 'stop', time: '2026-11-22T12:00:00Z' });
      expect(await monitor.check(ctx)).toEqual([
        {
          version: 1,
          source: 'node-manager',
          instanceId: 'i-0fedcba9876543210',
          nodeName: 'ip-10-0-1-23.eu-west-1.compute.internal',
          signal: 'spot-interruption',
          noticeTime: '2026-11-22T12:00:00.000Z',
          action: 'stop',
        },
      ]);
    });

    it.each([
      ['not JSON', '{"action": "termin'],
      ['an unknown action', '{"action":"explode","time":"2026-11-22T12:00:00Z"}'],
      ['a bad time', '{"action":"terminate","time":"soon"}'],
    ])('rejects %s with a SignalParseError', async (_what, body) => {
      imds.injectFault({ kind: 'garbage', body }, { path: 'spot/instance-action' });
      await expect(spotInterruptionMonitor().check(ctx)).rejects.toBeInstanceOf(SignalParseError);
    });
  });

  it('rebalance-recommendation uses the noticeTime EC2 gives', async () => {
    const monitor = rebalanceMonitor();
    expect(await monitor.check(ctx)).toEqual([]);
    imds.setRebalanceRecommendation({ noticeTime: '2026-11-22T11:50:00Z' });
    expect(await monitor.check(ctx)).toMatchObject([
      { signal: 'rebalance-recommendation', noticeTime: '2026-11-22T11:50:00.000Z' },
    ]);
  });

  it('scheduled-maintenance yields one notice per active event, in ISO time, with the action its code implies', async () => {
    const monitor = scheduledMaintenanceMonitor();
    expect(await monitor.check(ctx)).toEqual([]);
    imds.setScheduledEvents([
      { Code: 'system-reboot', NotBefore: '22 Nov 2026 14:00:00 GMT', State: 'active' },
      { Code: 'instance-stop', NotBefore: '20 Nov 2026 09:00:00 GMT', State: 'completed' },
      { Code: 'instance-retirement', NotBefore: '23 Nov 2026 09:00:00 GMT', State: 'active' },
    ]);
    expect(await monitor.check(ctx)).toMatchObject([
      { signal: 'scheduled-maintenance', noticeTime: '2026-11-22T14:00:00.000Z', action: 'reboot' },
      { signal: 'scheduled-maintenance', noticeTime: '2026-11-23T09:00:00.000Z', action: 'terminate' },
    ]);
  });

  it('asg-termination keeps the first-seen time while the state stays Terminated, and forgets it after', async () => {
    const monitor = asgTerminationMonitor();
    expect(await monitor.check(ctx)).toEqual([]); // not in an ASG: 404
    imds.setTargetLifecycleState('InService');
    expect(await monitor.check(ctx)).toEqual([]);
    imds.setTargetLifecycleState('Terminated');
    const [first] = await monitor.check(ctx);
    clock += 5_000;
    const [again] = await monitor.check(ctx);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ signal: 'asg-termination', action: 'terminate', noticeTime: new Date(clock - 5_000).toISOString() });
    imds.setTargetLifecycleState('InService');
    expect(await monitor.check(ctx)).toEqual([]);
    imds.setTargetLifecycleState('Terminated');
    expect((await monitor.check(ctx))[0].noticeTime).toBe(new Date(clock).toISOString());
  });
});

describe('notice policy', () => {
  const notice = {
    version: 1 as const,
    source: 'node-manager' as const,
    instanceId: 'i-0fedcba9876543210',
    signal: 'spot-interruption' as const,
    noticeTime: '2026-11-22T12:00:00.000Z',
    action: 'terminate' as const,
  };
  const detectedAt = Date.parse('2026-11-22T11:58:00Z');

  it('keeps the action for ACT_ON signals and acts', () => {
    const d = decide(notice, { actOn: new Set(['spot-interruption']), dryRun: false }, detectedAt);
    expect(d).toEqual({ notice, act: true, deadline: Date.parse(notice.noticeTime) });
  });

  it('only reports signals outside ACT_ON, and everything in dry run', () => {
    expect(decide(notice, { actOn: new Set(['asg-termination']), dryRun: false }, detectedAt)).toMatchObject({
      notice: { action: 'report' },
      act: false,
    });
    expect(decide(notice, { actOn: new Set(['spot-interruption']), dryRun: true }, detectedAt)).toMatchObject({
      notice: { action: 'report' },
      act: true,
    });
  });

  it('gives signals without a future action time the minimum window', () => {
    const past = { ...notice, signal: 'rebalance-recommendation' as const, noticeTime: '2026-11-22T11:50:00.000Z' };
    expect(decide(past, { actOn: new Set(), dryRun: false }, detectedAt).deadline).toBe(detectedAt + MIN_ACTION_WINDOW_MS);
  });
});
