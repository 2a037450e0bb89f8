/**
 * `events/recommendations/rebalance`: EC2 sees an elevated interruption risk. There is no action
 * time, so the notice time is EC2's `noticeTime`; acting on it means replacing the node early.
 */
import * as z from '../zod';
import { buildNotice, parseJsonBody, parseTime, SignalParseError, type SignalMonitor } from './types';

const PATH = 'events/recommendations/rebalance';
const bodySchema = z.object({ noticeTime: z.string() });

export function rebalanceMonitor(): SignalMonitor {
  return {
    kind: 'rebalance-recommendation',
    path: PATH,
    async check(ctx) {
      const result = await ctx.imds.get(PATH, ctx.signal);
      if (!result.found) return [];
      const parsed = bodySchema.safeParse(parseJsonBody(PATH, result.body));
      if (!parsed.success) throw new SignalParseError(PATH, 'expected {"noticeTime":"…"}');
      return [buildNotice(ctx, 'rebalance-recommendation', parseTime(PATH, 'noticeTime', parsed.data.noticeTime), 'terminate')];
    },
  };
}
