/**
 * `autoscaling/target-lifecycle-state`: `Terminated` once the Auto Scaling group has decided to
 * terminate this instance (404 outside an ASG). The state carries no time, so the notice time is
 * when the daemon first saw it — remembered, so every later poll yields the same notice key.
 */
import { buildNotice, type SignalMonitor } from './types';

const PATH = 'autoscaling/target-lifecycle-state';

export function asgTerminationMonitor(): SignalMonitor {
  let firstSeen: Date | undefined;
  return {
    kind: 'asg-termination',
    path: PATH,
    async check(ctx) {
      const result = await ctx.imds.get(PATH, ctx.signal);
      if (!result.found || result.body.trim() !== 'Terminated') {
        firstSeen = undefined;
        return [];
      }
      firstSeen ??= new Date(ctx.now());
      return [buildNotice(ctx, 'asg-termination', firstSeen, 'terminate')];
    },
  };
}
