import fc from 'fast-check';
import { noticeKey } from '../../contract/interruption-notice';
import { HANDLED_EVENT_KINDS } from '../../lambda/termination-handler/event-kinds';
import { healthEventAction, PARSER_KIND_IDS } from '../../lambda/termination-handler/event-parsers';
import { MAX_REASON_CHARS } from '../../lambda/termination-handler/notice-bounds';
import { parseEvent, SUPPORTED_EVENTS, type ParseResult } from '../../lambda/termination-handler/parse-event';
import { INSTANCE_ID, spotNotice, spotWarningEvent } from './support/fixtures';
import { SAMPLE_EVENTS, sampleEvent, type SampleKind } from './support/sample-events';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const parse = (input: unknown, now = NOW) => parseEvent(input, now);
const noticesOf = (result: ParseResult) => {
  if (result.status !== 'ok') throw new Error(`expected ok, got ${result.status}: ${result.reason}`);
  return result.notices;
};
const reasonOf = (result: ParseResult) => {
  if (result.status === 'ok') throw new Error('expected a rejection');
  return result.reason;
};

describe('parseEvent: the direct notice', () => {
  it('accepts the notice node-manager sends, unchanged', () => {
    const notice = spotNotice({ noticeTime: '2026-11-22T12:01:50Z' });
    expect(parse(notice)).toEqual({ status: 'ok', notices: [notice] });
  });
});

describe('parseEvent: AWS samples of every handled kind', () => {
  it('has a sample for every handled kind, and a parser for exactly the handled kinds', () => {
    expect(Object.keys(SAMPLE_EVENTS).sort()).toEqual(HANDLED_EVENT_KINDS.map((k) => k.id).sort());
    expect([...PARSER_KIND_IDS].sort()).toEqual(HANDLED_EVENT_KINDS.map((k) => k.id).sort());
    expect(SUPPORTED_EVENTS).toHaveLength(HANDLED_EVENT_KINDS.length);
  });

  const expected: Record<SampleKind, object> = {
    // The warning comes two minutes before EC2 acts; the notice time is when it acts (same key as IMDS).
    'spot-warning': { instanceId: 'i-1234567890abcdef0', signal: 'spot-interruption', action: 'terminate', noticeTime: '2026-11-22T12:00:00.000Z' },
    rebalance: { instanceId: 'i-1234567890abcdef0', signal: 'rebalance-recommendation', action: 'report', noticeTime: '2026-11-22T11:50:00.000Z' },
    'state-change': { instanceId: 'i-abcd1111', signal: 'instance-state-change', action: 'terminate', noticeTime: '2026-11-22T11:59:54.000Z' },
    'capacity-reservation': { instanceId: 'i-1234567890abcdef0', signal: 'capacity-reservation-interruption', action: 'report', noticeTime: '2026-11-22T11:58:00.000Z' },
    'asg-lifecycle': { instanceId: 'i-12345678', signal: 'asg-termination', action: 'terminate', noticeTime: '2026-11-22T11:55:00.000Z' },
    'health-scheduled': { instanceId: 'i-abcd1111', signal: 'scheduled-maintenance', action: 'terminate', noticeTime: '2026-11-22T06:27:57.000Z' },
  };
  it.each(Object.keys(SAMPLE_EVENTS) as SampleKind[])('turns the AWS sample of %s into its notice', (kind) => {
    expect(noticesOf(parse(sampleEvent(kind)))).toEqual([{ version: 1, source: 'eventbridge', ...expected[kind] }]);
  });

  it('gives the EventBridge spot warning and the daemon notice one dedup key', () => {
    const [notice] = noticesOf(parse(spotWarningEvent('2026-11-22T12:00:00Z')));
    expect(noticeKey(notice!)).toBe(noticeKey(spotNotice({ noticeTime: '2026-11-22T12:00:00Z' })));
  });

  it.each([
    ['stopping', 'stop'], ['stopped', 'stop'], ['shutting-down', 'terminate'], ['terminated', 'terminate'],
  ])('maps the state change to %s to action %s', (state, action) => {
    expect(noticesOf(parse(sampleEvent('state-change', { detail: { state } })))[0]).toMatchObject({ action });
  });

  it.each(['pending', 'running'])('ignores a state change to %s (counted no-op, not a rejection)', (state) => {
    expect(parse(sampleEvent('state-change', { detail: { state } }))).toMatchObject({ status: 'ignored' });
  });

  it('makes one notice per instance an AWS Health event names, skipping entities that are not instances', () => {
    const event = sampleEvent('health-scheduled', {
      detail: { affectedEntities: [{ entityValue: 'i-abcd1111' }, { entityValue: 'vol-0123456789abcdef0' }, { entityValue: 'i-0fedcba9876543210' }] },
    });
    expect(noticesOf(parse(event)).map((n) => n.instanceId)).toEqual(['i-abcd1111', 'i-0fedcba9876543210']);
  });

  it.each([
    ['AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED', 'upcoming', 'terminate'],
    ['AWS_EC2_PERSISTENT_INSTANCE_RETIREMENT_SCHEDULED', 'open', 'terminate'],
    ['AWS_EC2_INSTANCE_STOP_SCHEDULED', 'upcoming', 'stop'],
    ['AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED', 'upcoming', 'reboot'],
    ['AWS_EC2_SYSTEM_REBOOT_MAINTENANCE_SCHEDULED', 'upcoming', 'reboot'],
    ['AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED', 'closed', 'report'],
    ['AWS_EC2_DEDICATED_HOST_NETWORK_MAINTENANCE_SCHEDULED', undefined, 'reboot'],
    ['AWS_EC2_OPERATIONAL_NOTIFICATION', 'open', 'report'],
  ])('acts on Health event %s (%s) with %s', (code, status, action) => {
    expect(healthEventAction(code, status)).toBe(action);
  });
});

describe('parseEvent: garbage is rejected, never thrown', () => {
  it.each([
    ['a bad instance id in the event', spotWarningEvent('2026-11-22T12:00:00Z', 'i-XYZ'), /detail\.instance-id: must match/],
    ['a missing instance-action', { ...spotWarningEvent('2026-11-22T12:00:00Z'), detail: { 'instance-id': INSTANCE_ID } }, /detail\.instance-action/],
    ['a bad event time', { ...spotWarningEvent('2026-11-22T12:00:00Z'), time: 'yesterday' }, /time: must be an ISO-8601/],
    ['a bad instance id in a direct notice', spotNotice({ instanceId: 'i-123' }), /instanceId: must match/],
    ['an unknown field in a direct notice', { ...spotNotice(), extra: 1 }, /extra|Unrecognized key/],
    ['a string', 'i-0123456789abcdef0', /\(root\)/],
    ['null', null, /\(root\)/],
    ['an array', [spotNotice()], /\(root\)/],
  ])('rejects %s with a reason naming the field', (_name, input, message) => {
    const result = parse(input);
    expect(result.status).toBe('rejected');
    expect(reasonOf(result)).toMatch(message);
  });

  it('answers an event of a kind it does not handle as ignored, naming it', () => {
    const result = parse({ ...spotWarningEvent('2026-11-22T12:00:00Z'), 'detail-type': 'EC2 AMI State Change' });
    expect(result).toEqual({ status: 'ignored', reason: expect.stringContaining('"EC2 AMI State Change" from source "aws.ec2"') });
  });

  it('echoes at most 1 KiB of a 5 MiB field', () => {
    const huge = 'x'.repeat(5 * 1024 * 1024);
    for (const input of [
      { ...spotNotice(), nodeName: huge },
      { ...spotNotice(), [huge]: 1 },
      { ...spotWarningEvent('2026-11-22T12:00:00Z'), 'detail-type': huge },
      { ...spotWarningEvent('2026-11-22T12:00:00Z'), detail: { 'instance-id': huge, 'instance-action': huge } },
    ]) {
      const reason = reasonOf(parse(input));
      expect(reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
      expect(reason).not.toMatch(/x{201}/); // no echoed value longer than 200 characters
    }
  });

  it('never throws and never returns more than 1 KiB of reason, whatever JSON arrives', () => {
    const eventLike = fc.record({
      source: fc.oneof(fc.constant('aws.ec2'), fc.constant('aws.health'), fc.string()),
      'detail-type': fc.oneof(...HANDLED_EVENT_KINDS.map((k) => fc.constant(k.detailType)), fc.string()),
      time: fc.oneof(fc.constant('2026-11-22T12:00:00Z'), fc.string()),
      detail: fc.oneof(fc.object(), fc.dictionary(fc.constantFrom('instance-id', 'state', 'EC2InstanceId', 'affectedEntities', 'service'), fc.jsonValue())),
    }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), eventLike, fc.object()), (input) => {
        const result = parse(input);
        if (result.status !== 'ok') expect(result.reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseEvent: notice-time bounds', () => {
  const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
  const HOUR = 3600_000;

  it.each([
    ['year 9999', '9999-12-31T23:59:59Z'],
    ['7 hours ahead', at(7 * HOUR)],
    ['25 hours old', at(-25 * HOUR)],
    ['year 1970', '1970-01-01T00:00:00Z'],
  ])('refuses a spot notice %s, naming noticeTime', (_name, noticeTime) => {
    expect(reasonOf(parse(spotNotice({ noticeTime })))).toMatch(/^noticeTime: .* (ahead of now \(.*\)|in the past); such a notice is refused/);
  });

  it.each([['2 minutes ahead', at(120_000)], ['5 hours ahead', at(5 * HOUR)], ['an hour old', at(-HOUR)]])(
    'accepts a spot notice %s',
    (_name, noticeTime) => expect(parse(spotNotice({ noticeTime })).status).toBe('ok'),
  );

  it('lets scheduled maintenance lie weeks ahead (AWS announces it early), but not 36 days', () => {
    const maintenance = (offset: number) => spotNotice({ signal: 'scheduled-maintenance', action: 'reboot', noticeTime: at(offset) });
    expect(parse(maintenance(14 * 24 * HOUR)).status).toBe('ok');
    expect(reasonOf(parse(maintenance(36 * 24 * HOUR)))).toMatch(/noticeTime/);
  });

  it('applies the bounds to EventBridge events too (a replayed year-old event)', () => {
    expect(parse(spotWarningEvent('2025-11-22T12:00:00Z')).status).toBe('rejected');
  });
});
