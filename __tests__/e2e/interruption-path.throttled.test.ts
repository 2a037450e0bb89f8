/** A spot interruption while other clients spend three quarters of every AWS bucket: paced, retried, done. */
import { expectTakenOutOfService, interrupt, SCENARIO_TIMEOUT_MS, startScenario } from './interruption-path';

vi.setConfig({ testTimeout: SCENARIO_TIMEOUT_MS });

it('finishes the job when other clients already spend three quarters of every AWS bucket', async ({ onTestFinished }) => {
  const system = await startScenario(onTestFinished, { fillerTargetGroups: 20 });
  system.aws.rateLimits.configure({ usedByOthers: 0.75 }); // Describe* 10 @ 2.5/s, Deregister 5 @ 1/s left
  // About 10 s alone; a busy machine slows the processes, not the buckets' refill.
  const { noticeToDoneMs } = await interrupt(system, false, 70_000);
  expectTakenOutOfService(system);
  // The pacer started above what was left, met Throttling, and slowed down instead of failing.
  const elbv2 = system.aws.calls.filter((c) => c.service === 'elbv2');
  expect(elbv2.filter((c) => c.errorCode === 'Throttling').length).toBeGreaterThan(0);
  // Three times the share the pacer reserves is gone: throttled requests are sent again by the pacer
  // within the invocation, so ONE run finishes (Lambda's retry would come a minute later, too late).
  expect(system.runtime.completions).toEqual([expect.objectContaining({ ok: true })]);
  const throttledDeregistrations = elbv2.filter((c) => c.action === 'DeregisterTargets' && c.errorCode === 'Throttling');
  for (const t of throttledDeregistrations) {
    // Each throttled deregistration was sent again and went through.
    expect(elbv2.some((c) => c.action === 'DeregisterTargets' && !c.errorCode && JSON.stringify(c.input) === JSON.stringify(t.input))).toBe(true);
  }
  process.stdout.write(`e2e notice-to-done with ELBv2 throttling: ${noticeToDoneMs} ms, ${system.runtime.completions.length} handler run(s)\n`);
});
