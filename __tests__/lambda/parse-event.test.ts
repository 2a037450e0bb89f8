import { InvalidNoticeError, noticeKey } from '../../contract/interruption-notice';
import { parseEvent, SUPPORTED_EVENTS } from '../../lambda/termination-handler/parse-event';
import { INSTANCE_ID, spotNotice, spotWarningEvent } from './support/fixtures';

const errorOf = (input: unknown): InvalidNoticeError => {
  try {
    parseEvent(input);
  } catch (err) {
    if (err instanceof InvalidNoticeError) return err;
    throw err;
  }
  throw new Error('expected parseEvent to throw');
};

describe('parseEvent', () => {
  it('accepts the notice node-manager sends, unchanged', () => {
    const notice = spotNotice();
    expect(parseEvent(notice)).toEqual(notice);
  });

  it('turns the EventBridge spot warning into a notice whose time is the event time + 2 minutes', () => {
    const notice = parseEvent(spotWarningEvent('2026-11-22T12:00:00Z'));
    expect(notice).toEqual({
      version: 1, source: 'eventbridge', instanceId: INSTANCE_ID, signal: 'spot-interruption',
      noticeTime: '2026-11-22T12:00:00.000Z', action: 'terminate',
    });
    // Same dedup key as the daemon's notice of the same interruption.
    expect(noticeKey(notice)).toBe(noticeKey(spotNotice({ noticeTime: '2026-11-22T12:00:00Z' })));
  });

  it('keeps the spot instance-action (stop, hibernate)', () => {
    const event = spotWarningEvent('2026-11-22T12:00:00Z');
    event.detail['instance-action'] = 'hibernate';
    expect(parseEvent(event).action).toBe('hibernate');
  });

  it('maps a rebalance recommendation to a report-only notice', () => {
    const notice = parseEvent({
      version: '0', id: 'x', 'detail-type': 'EC2 Instance Rebalance Recommendation', source: 'aws.ec2',
      account: '123456789012', time: '2026-11-22T11:50:00Z', region: 'eu-west-1', resources: [],
      detail: { 'instance-id': INSTANCE_ID },
    });
    expect(notice).toMatchObject({ signal: 'rebalance-recommendation', action: 'report', noticeTime: '2026-11-22T11:50:00.000Z' });
  });

  it('maps the ASG terminate lifecycle action', () => {
    const notice = parseEvent({
      version: '0', id: 'x', 'detail-type': 'EC2 Instance-terminate Lifecycle Action', source: 'aws.autoscaling',
      account: '123456789012', time: '2026-11-22T11:55:00Z', region: 'eu-west-1', resources: [],
      detail: {
        EC2InstanceId: INSTANCE_ID, AutoScalingGroupName: 'demo-spot', LifecycleHookName: 'drain',
        LifecycleActionToken: 'token', LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      },
    });
    expect(notice).toMatchObject({ source: 'eventbridge', signal: 'asg-termination', action: 'terminate', instanceId: INSTANCE_ID });
  });

  it('lists the supported kinds once, for the construct to build its rules from', () => {
    expect(SUPPORTED_EVENTS.map((e) => e.detailType).sort()).toEqual([
      'EC2 Instance Rebalance Recommendation', 'EC2 Instance-terminate Lifecycle Action', 'EC2 Spot Instance Interruption Warning',
    ]);
  });

  it.each([
    ['an unknown detail-type', { ...spotWarningEvent('2026-11-22T12:00:00Z'), 'detail-type': 'EC2 Instance State-change Notification' }, /detail-type: unsupported event "EC2 Instance State-change Notification" from source "aws.ec2"/],
    ['a known detail-type from another source', { ...spotWarningEvent('2026-11-22T12:00:00Z'), source: 'custom.app' }, /detail-type: unsupported event/],
    ['a bad instance id in the event', spotWarningEvent('2026-11-22T12:00:00Z', 'i-XYZ'), /detail\.instance-id: must match/],
    ['a missing instance-action', { ...spotWarningEvent('2026-11-22T12:00:00Z'), detail: { 'instance-id': INSTANCE_ID } }, /detail\.instance-action/],
    ['a bad event time', { ...spotWarningEvent('2026-11-22T12:00:00Z'), time: 'yesterday' }, /time: must be an ISO-8601/],
    ['a bad instance id in a direct notice', spotNotice({ instanceId: 'i-123' }), /instanceId: must match/],
    ['an unknown field in a direct notice', { ...spotNotice(), extra: 1 }, /extra|Unrecognized key/],
    ['a string', 'i-0123456789abcdef0', /\(root\)/],
    ['null', null, /\(root\)/],
  ])('rejects %s with an error naming the field', (_name, input, message) => {
    expect(errorOf(input).message).toMatch(message);
  });
});
