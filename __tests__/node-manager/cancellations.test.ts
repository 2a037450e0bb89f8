/** Which cancels the Lambda is owed: the bookkeeping behind node-manager's `cancel` notices. */
import { noticeKey, type InterruptionNotice } from '../../contract/interruption-notice';
import { Cancellations } from '../../images/node-manager/src/cancellations';

const notice = (noticeTime: string, over: Partial<InterruptionNotice> = {}): InterruptionNotice => ({
  version: 1, source: 'node-manager', instanceId: 'i-0123456789abcdef0', signal: 'scheduled-maintenance', noticeTime, action: 'reboot', ...over,
});
const keys = (...ns: InterruptionNotice[]) => new Set(ns.map(noticeKey));

describe('Cancellations', () => {
  it('owes one cancel per acted-on event gone, until it is accepted', () => {
    const c = new Cancellations();
    const a = notice('2026-12-04T10:00:00.000Z');
    c.sent(a);
    expect(c.checked('scheduled-maintenance', keys(a))).toEqual([]);
    expect(c.checked('scheduled-maintenance', keys())).toEqual([{ ...a, action: 'cancel' }]);
    expect(c.checked('scheduled-maintenance', keys())).toEqual([]); // owed once, not again
    expect(c.pending()).toEqual([{ ...a, action: 'cancel' }]);
    c.accepted(c.pending()[0]!);
    expect(c.pending()).toEqual([]);
  });

  it('tracks neither reports, nor signals AWS does not cancel', () => {
    const c = new Cancellations();
    c.sent(notice('2026-12-04T10:00:00.000Z', { action: 'report' }));
    c.sent(notice('2026-12-04T10:00:00.000Z', { signal: 'spot-interruption', action: 'terminate' }));
    expect(c.checked('scheduled-maintenance', keys())).toEqual([]);
    expect(c.checked('spot-interruption', keys())).toEqual([]);
    expect(c.pending()).toEqual([]);
  });

  it('drops a pending cancel when the event is listed again (the Lambda would refuse it)', () => {
    const c = new Cancellations();
    const a = notice('2026-12-04T10:00:00.000Z');
    c.sent(a);
    c.checked('scheduled-maintenance', keys());
    c.sent(a);
    expect(c.pending()).toEqual([]);
  });
});
