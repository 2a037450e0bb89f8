/** One spot notice delivered twice at once (node-manager and EventBridge): still one summary. */
import { expectTakenOutOfService, interrupt, SCENARIO_TIMEOUT_MS, startScenario } from './interruption-path';

vi.setConfig({ testTimeout: SCENARIO_TIMEOUT_MS });

it('handles the same notice arriving from node-manager and EventBridge at once with ONE summary', async ({ onTestFinished }) => {
  const system = await startScenario(onTestFinished);
  await interrupt(system, true);
  expectTakenOutOfService(system, 2);
  const statuses = system.runtime.completions.filter((c) => c.ok).map((c) => c.result.status);
  expect(statuses).toContain('done');
  expect(system.runtime.completions.filter((c) => c.ok)).toHaveLength(2);
});
