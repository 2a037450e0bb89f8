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
  // Three times the share the pacer reserves is gone, so on a busy machine one call may still run out
  // of attempts; then the invocation fails and Lambda's retry finishes it. Never more than that.
  const failed = system.runtime.completions.filter((c) => !c.ok);
  expect(failed.length).toBeLessThanOrEqual(1);
  for (const f of failed) expect(f).toMatchObject({ error: expect.stringMatching(/Throttling/) });
  expect(system.runtime.completions.at(-1)).toMatchObject({ ok: true });
  process.stdout.write(`e2e notice-to-done with ELBv2 throttling: ${noticeToDoneMs} ms, ${system.runtime.completions.length} handler run(s)\n`);
});
