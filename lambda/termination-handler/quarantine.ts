/**
 * Step 3: replace the security groups of EVERY network interface of the instance with the quarantine
 * group. ModifyInstanceAttribute would only reach the primary ENI; pods on secondary ENIs would still take
 * new connections. Security groups are stateful: established connections survive, new ones stop.
 * ENIs that already carry only the quarantine group are skipped, so a retry repeats only what failed.
 * For scheduled maintenance (which AWS may cancel) the replaced groups are recorded first
 * (original-groups.ts), so restore.ts can put them back.
 */
import { ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { toFailure } from './errors';
import { keepsOriginalGroups, recordOriginalGroups } from './original-groups';
import type { StepContext, StepFailure, StepOutcome } from './types';

export interface QuarantineDetail {
  readonly securityGroupId: string;
  readonly quarantined: readonly string[];
  readonly alreadyQuarantined: readonly string[];
}

export async function quarantineInstance(ctx: StepContext): Promise<StepOutcome<QuarantineDetail>> {
  const sg = ctx.config.quarantineSecurityGroupId;
  const done = ctx.instance.enis.filter((e) => e.securityGroupIds.length === 1 && e.securityGroupIds[0] === sg);
  const todo = ctx.instance.enis.filter((e) => !done.includes(e));
  const failures: StepFailure[] = [];
  const quarantined: string[] = [];
  if (todo.length && keepsOriginalGroups(ctx.notice)) {
    // A cancellable notice: remember what is replaced first, or replace nothing (the retry tries again).
    try {
      await recordOriginalGroups(ctx.clients, ctx.config.stateTableName, ctx.notice, todo);
    } catch (err) {
      failures.push(toFailure('DynamoDB UpdateItem (record original groups)', err, ctx.config.stateTableName));
      return { failures, detail: { securityGroupId: sg, quarantined, alreadyQuarantined: done.map((e) => e.id) } };
    }
  }
  await Promise.all(
    todo.map(async (eni) => {
      try {
        await ctx.clients.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.id, Groups: [sg] }));
        quarantined.push(eni.id);
      } catch (err) {
        failures.push(toFailure('ModifyNetworkInterfaceAttribute', err, eni.id));
      }
    }),
  );
  const detail = { securityGroupId: sg, quarantined: quarantined.sort(), alreadyQuarantined: done.map((e) => e.id) };
  if (!ctx.instance.enis.length) return { failures, detail, skipped: 'the instance has no network interfaces left' };
  return { failures, detail };
}
