/**
 * A cancelled scheduled-maintenance event is told to the termination Lambda: the real daemon against
 * the fake IMDS and fake Lambda endpoint. The cancel carries the acted-on notice's instance, signal
 * and notice time, is re-delivered until a 202 like any notice, and is sent exactly once.
 */
import type { ScheduledEvent } from '../fakes/imds';
import { startHarness, type DaemonHarness, type OnFinished } from './helpers/daemon-harness';
import { imdsPolls } from './helpers/waits';

const INSTANCE_ID = 'i-0c1d2e3f4a5b60719';
const DAY = 24 * 3600_000;
/** A short first pause between delivery rounds (the daemon's default is 1000 ms). */
const REDELIVERY_PAUSE_MS = 100;

/** An IMDS NotBefore `days` from now, in IMDS's own format, and the ISO time the notice carries. */
function notBefore(days: number): { imds: string; iso: string } {
  const at = new Date(Math.floor((Date.now() + days * DAY) / 1000) * 1000);
  return { imds: at.toUTCString(), iso: at.toISOString() };
}

const event = (time: { imds: string }, State: ScheduledEvent['State'], EventId = 'instance-event-0d59937288b749b32'): ScheduledEvent => ({
  Code: 'system-reboot',
  EventId,
  NotBefore: time.imds,
  State,
});

/** This test's fakes and daemon (acting on `actOn`), polls of scheduled events, and what the Lambda got. */
async function setup(onTestFinished: OnFinished, actOn = 'scheduled-maintenance') {
  const nm: DaemonHarness = await startHarness(onTestFinished, { instanceId: INSTANCE_ID });
  const d = nm.spawn({ NODE_NAME: 'n1', ACT_ON: actOn, REDELIVERY_PAUSE_MS: String(REDELIVERY_PAUSE_MS) });
  return {
    nm,
    d,
    polls: (n: number) => imdsPolls(nm.imds, 'events/maintenance/scheduled', n),
    payloads: () => nm.lambda.invocations.map((c) => c.payload as Record<string, unknown>),
  };
}

describe.concurrent('node-manager tells the Lambda about a cancelled maintenance event', () => {
  it('sends the same notice with action cancel, re-delivered after refusals until 202, then never again', async ({ expect, onTestFinished }) => {
    const { nm, d, polls, payloads } = await setup(onTestFinished);
    await d.httpPort();
    const time = notBefore(3);
    nm.imds.setScheduledEvents([event(time, 'active')]);
    await nm.lambda.waitForInvocations(1);
    expect(payloads()[0]).toMatchObject({ instanceId: INSTANCE_ID, signal: 'scheduled-maintenance', noticeTime: time.iso, action: 'reboot' });

    nm.lambda.failNext(2, 'access-denied'); // credentials rotating as the event is cancelled
    nm.imds.setScheduledEvents([event(time, 'canceled')]); // IMDS keeps listing it, now canceled
    await nm.lambda.waitForInvocations(2, 15_000);
    const cancel = payloads()[1];
    expect(cancel).toEqual({ ...payloads()[0], action: 'cancel' });
    expect(nm.lambda.calls.slice(1).map((c) => c.status)).toEqual([403, 403, 202]);

    await polls(10); // polls that still list the canceled event, over a second: several times the longest pause reached
    expect(nm.lambda.calls).toHaveLength(4);
    expect(payloads().filter((p) => p.action === 'cancel')).toHaveLength(1);
  });

  it('waits while AWS reschedules the event, then cancels each acted-on notice once the last one goes', async ({ expect, onTestFinished }) => {
    const { nm, d, polls, payloads } = await setup(onTestFinished);
    await d.httpPort();
    const first = notBefore(3);
    const second = notBefore(5);
    nm.imds.setScheduledEvents([event(first, 'active')]);
    await nm.lambda.waitForInvocations(1);
    nm.imds.setScheduledEvents([event(second, 'active')]); // rescheduled: a new NotBefore
    await nm.lambda.waitForInvocations(2);
    await polls(10);
    expect(payloads().map((p) => p.action)).toEqual(['reboot', 'reboot']); // no cancel while an event is listed

    nm.imds.setScheduledEvents([]);
    await nm.lambda.waitForInvocations(4);
    await polls(10);
    expect(payloads().slice(2)).toEqual([
      expect.objectContaining({ action: 'cancel', noticeTime: first.iso }),
      expect.objectContaining({ action: 'cancel', noticeTime: second.iso }),
    ]);
    expect(nm.lambda.calls).toHaveLength(4);
    expect(d.logs.filter((l) => l.msg === 'scheduled event cancelled: telling the termination Lambda')).toHaveLength(2);
  });

  it('owes no cancel for an event it only reported (not in ACT_ON)', async ({ expect, onTestFinished }) => {
    const { nm, d, polls, payloads } = await setup(onTestFinished, 'spot-interruption');
    await d.httpPort();
    const time = notBefore(3);
    nm.imds.setScheduledEvents([event(time, 'active')]);
    await nm.lambda.waitForInvocations(1);
    expect(payloads()[0]).toMatchObject({ action: 'report' });
    nm.imds.setScheduledEvents([event(time, 'canceled')]);
    await polls(20);
    expect(nm.lambda.calls).toHaveLength(1);
  });

  it('holds back an event more than 35 days ahead (the Lambda would refuse it) and sends it once it is within bounds', async ({ expect, onTestFinished }) => {
    const { nm, d, polls, payloads } = await setup(onTestFinished);
    await d.httpPort();
    const far = notBefore(40);
    nm.imds.setScheduledEvents([event(far, 'active')]);
    await d.waitForLog((l) => l.msg.startsWith('scheduled event held back'));
    await polls(10);
    expect(nm.lambda.calls).toEqual([]);
    expect(d.logs.filter((l) => l.msg.startsWith('scheduled event held back'))).toHaveLength(1); // logged once

    const near = notBefore(34);
    nm.imds.setScheduledEvents([event(near, 'active')]);
    await nm.lambda.waitForInvocations(1);
    expect(payloads()[0]).toMatchObject({ noticeTime: near.iso, action: 'reboot' });
  });
});
