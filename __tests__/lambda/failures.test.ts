/**
 * Every AWS call the handler makes, failing with throttling, a 5xx and AccessDenied: the other steps
 * still do their work, the summary names the failure and why, and the invocation fails so Lambda retries.
 */
import { handler, StepsFailedError } from '../../lambda/termination-handler';
import { INSTANCE_ID, QUARANTINE_SG, spotNotice } from './support/fixtures';
import { useHandlerHarness } from './support/handler-harness';
import { awsErrors } from './support/simulated-aws';

/** The error names each service really uses. */
const ERRORS: Record<'ec2' | 'elbv2' | 'other', Record<'throttling' | 'server' | 'denied', () => Error>> = {
  ec2: { throttling: () => awsErrors.throttling('RequestLimitExceeded'), server: awsErrors.serverError, denied: () => awsErrors.accessDenied('UnauthorizedOperation') },
  elbv2: { throttling: () => awsErrors.throttling('Throttling'), server: awsErrors.serverError, denied: () => awsErrors.accessDenied('AccessDenied') },
  other: { throttling: () => awsErrors.throttling('ThrottlingException'), server: awsErrors.serverError, denied: () => awsErrors.accessDenied('AccessDeniedException') },
};
const KIND = { throttling: 'throttled', server: 'server-error', denied: 'access-denied' } as const;

/** command → service, and the step whose failure it is. */
const CALLS = [
  ['DescribeInstances', 'ec2', 'verify'],
  ['DescribeTargetGroups', 'elbv2', 'deregister'],
  ['DescribeTargetHealth', 'elbv2', 'deregister'],
  ['DeregisterTargets', 'elbv2', 'deregister'],
  ['ModifyNetworkInterfaceAttribute', 'ec2', 'quarantine'],
  ['GetSecretValue', 'other', 'monitoring'],
  ['GetItem', 'other', 'state'],
  ['UpdateItem', 'other', 'state'],
  ['Publish', 'other', 'notify'],
] as const;

const cases = CALLS.flatMap(([command, service, step]) =>
  (['throttling', 'server', 'denied'] as const).map((error) => [command, error, service, step] as const),
);

describe('each AWS call failing', () => {
  const h = useHandlerHarness({ hmacSecret: 'failure-matrix-secret' });

  it.each(cases)('%s failing with %s', async (command, error, service, step) => {
    h.sim.fail(command, ERRORS[service][error]);
    const thrown = await handler(spotNotice()).then(
      () => { throw new Error('expected the invocation to fail'); },
      (err: unknown) => err,
    );
    expect(thrown).toBeInstanceOf(StepsFailedError);
    expect((thrown as StepsFailedError).failures).toEqual(
      expect.arrayContaining([expect.objectContaining({ step, kind: KIND[error] })]),
    );

    const verified = step !== 'verify';
    const quarantined = h.sim.instances.get(INSTANCE_ID)!.enis.filter((e) => e.groups.join() === QUARANTINE_SG).length;
    const deregistered = h.sim.targetGroups.flatMap((g) => g.targets).filter((t) => t.state === 'draining').length - 1;
    // The other steps did all their work; nothing at all happens when the instance could not be verified.
    expect(quarantined).toBe(verified && step !== 'quarantine' ? 3 : 0);
    expect(deregistered).toBe(verified && step !== 'deregister' ? 6 : 0);
    expect(h.webhook.requests).toHaveLength(verified && step !== 'monitoring' ? 1 : 0);

    // One summary that names the failure and its reason (unless SNS itself is what failed).
    if (step === 'notify') {
      expect(h.sim.published).toHaveLength(0);
    } else {
      expect(h.sim.published).toHaveLength(1);
      const summary = JSON.parse(h.sim.published[0]!.Message!);
      expect(summary.failedSteps).toContain(step);
      expect(summary.failures).toEqual(expect.arrayContaining([expect.objectContaining({ step, kind: KIND[error], error: expect.stringMatching(/HTTP (400|403|500)/) })]));
      expect(h.sim.published[0]!.Subject).toContain(`FAILED`);
    }
  });

  it('DescribeTargetGroupAttributes failing is a warning: the deregistration stands, the invocation succeeds', async () => {
    h.sim.fail('DescribeTargetGroupAttributes', ERRORS.elbv2.denied);
    await expect(handler(spotNotice())).resolves.toMatchObject({ status: 'done' });
    const summary = JSON.parse(h.sim.published[0]!.Message!);
    const deregister = summary.steps.find((s: { step: string }) => s.step === 'deregister');
    expect(deregister.detail.warnings).toHaveLength(3);
    expect(deregister.detail.targetsDeregistered).toBe(6);
  });
});
