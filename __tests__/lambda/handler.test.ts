import { noticeKey } from '../../contract/interruption-notice';
import { handler, StepsFailedError } from '../../lambda/termination-handler';
import { configureHandler, INSTANCE_ID, QUARANTINE_SG, spotNotice, spotWarningEvent, TOPIC_ARN } from './support/fixtures';
import { useHandlerHarness } from './support/handler-harness';

const HMAC_SECRET = 'handler-test-webhook-secret';

describe('termination handler', () => {
  const h = useHandlerHarness({ hmacSecret: HMAC_SECRET });

  const summaries = () => h.sim.published.map((p) => JSON.parse(p.Message!) as Record<string, any>);
  const quarantinedEnis = () => h.sim.instances.get(INSTANCE_ID)!.enis.filter((e) => e.groups.join() === QUARANTINE_SG).length;
  const drainingTargetsOfInstance = () =>
    h.sim.targetGroups.flatMap((g) => g.targets).filter((t) => t.state === 'draining').length;

  it('takes a cluster node out of service and publishes one summary', async () => {
    const notice = spotNotice();
    const result = await handler(notice, { awsRequestId: 'req-1', functionName: 'demo-termination' } as never);

    expect(result).toEqual({
      status: 'done', noticeKey: noticeKey(notice), summary: 'published',
      steps: { deregister: 'succeeded', quarantine: 'succeeded', monitoring: 'succeeded' },
    });
    expect(drainingTargetsOfInstance()).toBe(7); // 6 now + the one that was already draining
    expect(quarantinedEnis()).toBe(3);
    expect(h.webhook.requests).toHaveLength(1);

    expect(h.sim.published).toHaveLength(1);
    expect(h.sim.published[0]).toMatchObject({ TopicArn: TOPIC_ARN, Subject: `[demo] spot-interruption ${INSTANCE_ID}: ok` });
    const [summary] = summaries();
    expect(summary).toMatchObject({
      outcome: 'instance taken out of service', cluster: 'demo', instanceId: INSTANCE_ID, nodeName: notice.nodeName,
      signal: 'spot-interruption', source: 'node-manager', failures: [],
      slowDeregistrationGroups: [expect.objectContaining({ name: 'web', delaySeconds: 300 })],
    });
    expect(summary!.targetGroupsTouched.map((g: { name: string }) => g.name).sort()).toEqual(['ingress-nodeport', 'pods-ip', 'web']);
    expect(summary!.timings.noticeToDoneMs).toBeGreaterThanOrEqual(10_000); // notice 110 s ahead: observed 10 s ago
    // The summary says when this node's last registration went: after it was observed, before done.
    expect(Date.parse(summary!.timings.lastDeregisteredAt!)).toBeLessThanOrEqual(Date.parse(summary!.timings.doneAt));
    expect(summary!.timings.noticeToLastDeregistrationMs).toBeGreaterThanOrEqual(10_000);
    expect(summary!.timings.noticeToLastDeregistrationMs).toBeLessThanOrEqual(summary!.timings.noticeToDoneMs);

    expect(h.sim.table.get(noticeKey(notice))).toMatchObject({
      deregister: { S: 'succeeded' }, quarantine: { S: 'succeeded' }, monitoring: { S: 'succeeded' },
      summaryPublishedAt: { S: expect.any(String) }, expiresAt: { N: expect.stringMatching(/^\d+$/) },
    });
    const logs = h.output.logs();
    expect(logs.length).toBeGreaterThan(3);
    for (const line of logs) expect(line).toMatchObject({ instanceId: INSTANCE_ID, service: 'termination-handler' });
  });

  it('acts on the EventBridge spot warning alone (no daemon)', async () => {
    const result = await handler(spotWarningEvent(spotNotice().noticeTime));
    expect(result.status).toBe('done');
    expect(quarantinedEnis()).toBe(3);
    expect(summaries()[0]).toMatchObject({ source: 'eventbridge', nodeName: 'ip-10-0-1-10.eu-west-1.compute.internal' });
  });

  it('ignores the EventBridge copy of a notice the daemon already delivered: one SNS message', async () => {
    const notice = spotNotice();
    await handler(notice);
    const callsBefore = h.sim.calls.length;
    const again = await handler(spotWarningEvent(notice.noticeTime));

    expect(again).toEqual({ status: 'duplicate', noticeKey: noticeKey(notice) });
    expect(h.sim.published).toHaveLength(1);
    expect(h.sim.calls.slice(callsBefore).map((c) => c.command)).toEqual(['GetItem']);
  });

  it('publishes one summary when duplicates are handled concurrently, without errors', async () => {
    const notice = spotNotice();
    const results = await Promise.all([handler(notice), handler(spotWarningEvent(notice.noticeTime)), handler(notice)]);
    // One of them leads the wave and does the work; the others find it done (or were answered by the leader).
    expect(results.filter((r) => r.status === 'done' && 'summary' in r && r.summary === 'published')).toHaveLength(1);
    for (const r of results) expect(['done', 'duplicate']).toContain(r.status);
    expect(h.sim.published).toHaveLength(1);
    expect(h.sim.callsTo('ModifyNetworkInterfaceAttribute').length).toBeLessThanOrEqual(3);
  });

  it('refuses an instance of another cluster: no mutation, no message, no error', async () => {
    h.sim.instances.get(INSTANCE_ID)!.tags = { 'kubernetes.io/cluster/other': 'owned' };
    const result = await handler(spotNotice());
    expect(result).toMatchObject({ status: 'refused', reason: expect.stringContaining('kubernetes.io/cluster/demo') });
    expect(h.sim.mutatingCalls()).toEqual([]);
    expect(h.webhook.requests).toEqual([]);
  });

  it('refuses an instance that does not exist', async () => {
    const result = await handler(spotNotice({ instanceId: 'i-0000000000000dead' }));
    expect(result).toMatchObject({ status: 'refused', reason: expect.stringContaining('does not exist') });
    expect(h.sim.mutatingCalls()).toEqual([]);
  });

  it.each([
    ['a malformed notice', { ...spotNotice(), instanceId: 'i-nothex' }, { status: 'rejected', reason: expect.stringMatching(/instanceId/) }],
    ['an unsupported event', { ...spotWarningEvent('2026-11-22T12:00:00Z'), 'detail-type': 'EC2 AMI State Change' }, { status: 'ignored', reason: expect.stringMatching(/EC2 AMI State Change/) }],
    ['an empty payload', {}, { status: 'rejected', reason: expect.stringMatching(/version/) }],
  ])('answers %s without throwing and before any AWS call', async (_name, event, expected) => {
    await expect(handler(event)).resolves.toEqual(expected);
    expect(h.sim.calls).toEqual([]);
    expect(h.webhook.requests).toEqual([]);
  });

  it('fails every invocation with a clear message when the configuration is wrong', async () => {
    configureHandler({ MONITORING_PROVIDER: 'datadog' });
    await expect(handler(spotNotice())).rejects.toThrow(/MONITORING_SECRET_ARN is required/);
    expect(h.sim.calls).toEqual([]);
  });

  it('only reports a rebalance recommendation: nothing deregistered, quarantined or silenced', async () => {
    const result = await handler({
      version: '0', id: 'x', 'detail-type': 'EC2 Instance Rebalance Recommendation', source: 'aws.ec2', account: '123456789012',
      time: new Date().toISOString(), region: 'eu-west-1', resources: [], detail: { 'instance-id': INSTANCE_ID },
    });
    expect(result).toMatchObject({ status: 'done', steps: {}, summary: 'published' });
    expect(h.sim.callsTo('DeregisterTargets')).toEqual([]);
    expect(h.sim.callsTo('ModifyNetworkInterfaceAttribute')).toEqual([]);
    expect(h.webhook.requests).toEqual([]);
    expect(summaries()[0]).toMatchObject({ outcome: 'reported only (no action for this signal)', signal: 'rebalance-recommendation' });
  });

  it('redoes only the failed step on retry, and does not send a second summary', async () => {
    const notice = spotNotice();
    h.sim.fail('DeregisterTargets', () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    await expect(handler(notice)).rejects.toThrow(StepsFailedError);
    expect(summaries()[0]).toMatchObject({ failedSteps: ['deregister'], outcome: expect.stringContaining('failed: deregister') });
    expect(quarantinedEnis()).toBe(3);

    h.sim.clearFaults();
    const before = h.sim.calls.length;
    const retry = await handler(notice);
    const retried = h.sim.calls.slice(before).map((c) => c.command);
    expect(retry).toMatchObject({ status: 'done', summary: 'published-earlier', steps: { deregister: 'succeeded', quarantine: 'skipped', monitoring: 'skipped' } });
    expect(retried).toContain('DeregisterTargets');
    expect(retried).not.toContain('ModifyNetworkInterfaceAttribute');
    expect(retried).not.toContain('GetSecretValue');
    expect(h.webhook.requests).toHaveLength(1);
    expect(h.sim.published).toHaveLength(1);
    expect(drainingTargetsOfInstance()).toBe(7);

    expect(await handler(notice)).toMatchObject({ status: 'duplicate' });
  });

  it('publishes the summary on the retry when SNS failed the first time', async () => {
    const notice = spotNotice();
    h.sim.fail('Publish', () => Object.assign(new Error('Internal'), { name: 'InternalErrorException', $fault: 'server', $metadata: { httpStatusCode: 500 } }), 1);
    await expect(handler(notice)).rejects.toThrow(/notify: SNS Publish/);
    expect(h.sim.table.get(noticeKey(notice))!.summaryPublishedAt).toBeUndefined(); // claim released

    const before = h.sim.calls.length;
    await expect(handler(notice)).resolves.toMatchObject({ status: 'done', summary: 'published' });
    expect(h.sim.published).toHaveLength(1);
    expect(h.sim.calls.slice(before).map((c) => c.command)).not.toContain('DeregisterTargets');
  });
});
