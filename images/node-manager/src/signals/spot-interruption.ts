/** `spot/instance-action`: 404 until EC2 decides to interrupt, then `{action, time}` two minutes ahead. */
import * as z from '../zod';
import { buildNotice, parseJsonBody, parseTime, SignalParseError, type SignalMonitor } from './types';

const PATH = 'spot/instance-action';
const bodySchema = z.object({ action: z.enum(['terminate', 'stop', 'hibernate']), time: z.string() });

export function spotInterruptionMonitor(): SignalMonitor {
  return {
    kind: 'spot-interruption',
    path: PATH,
    async check(ctx) {
      const result = await ctx.imds.get(PATH, ctx.signal);
      if (!result.found) return [];
      const parsed = bodySchema.safeParse(parseJsonBody(PATH, result.body));
      if (!parsed.success) throw new SignalParseError(PATH, 'expected {"action":"terminate|stop|hibernate","time":"…"}');
      const { action, time } = parsed.data;
      return [buildNotice(ctx, 'spot-interruption', parseTime(PATH, 'time', time), action)];
    },
  };
}
