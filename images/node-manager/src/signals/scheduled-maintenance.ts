/**
 * `events/maintenance/scheduled`: a list of events; only `active` ones matter (completed and
 * canceled events stay listed for a while). The notice time is the event's `NotBefore`.
 */
import * as z from '../zod';
import type { NoticeAction } from '../../../../contract/interruption-notice';
import { buildNotice, parseJsonBody, parseTime, SignalParseError, type SignalMonitor } from './types';

const PATH = 'events/maintenance/scheduled';
const eventSchema = z.looseObject({ Code: z.string(), NotBefore: z.string(), State: z.optional(z.string()) });
const bodySchema = z.array(eventSchema);

/** What each documented event code does to the instance. */
const ACTION_BY_CODE: Record<string, NoticeAction> = {
  'instance-reboot': 'reboot',
  'system-reboot': 'reboot',
  'system-maintenance': 'reboot',
  'instance-stop': 'stop',
  'instance-retirement': 'terminate',
};

export function scheduledMaintenanceMonitor(): SignalMonitor {
  return {
    kind: 'scheduled-maintenance',
    path: PATH,
    async check(ctx) {
      const result = await ctx.imds.get(PATH, ctx.signal);
      if (!result.found) return [];
      const parsed = bodySchema.safeParse(parseJsonBody(PATH, result.body));
      if (!parsed.success) throw new SignalParseError(PATH, 'expected a list of {"Code","NotBefore","State"} events');
      return parsed.data
        .filter((event) => (event.State ?? 'active') === 'active')
        .map((event) =>
          buildNotice(
            ctx,
            'scheduled-maintenance',
            parseTime(PATH, 'NotBefore', event.NotBefore),
            ACTION_BY_CODE[event.Code] ?? 'report',
          ),
        );
    },
  };
}
