/**
 * Undo for a cancelled scheduled-maintenance notice (action `cancel`, same key as the notice it
 * cancels): every ENI that still carries only the quarantine group gets back the groups recorded
 * before quarantine (original-groups.ts), and monitoring is restored where the provider allows
 * (Datadog unmute, Mackerel back to working, the webhook told). Deregistered targets are not
 * re-registered here: the AWS Load Balancer Controller registers a Ready node's targets again once
 * node-manager uncordons it. ENIs without a record, or whose groups changed since, are left alone.
 */
import { ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { toFailure } from './errors';
import { restoreMonitoring } from './monitoring';
import type { SecretCache } from './monitoring/secret';
import type { MonitoringDetail } from './monitoring/types';
import { loadOriginalGroups } from './original-groups';
import type { StepContext, StepFailure, StepOutcome } from './types';

export interface RestoreDetail {
  readonly restored: readonly string[];
  /** ENIs left as they are, and why. */
  readonly leftAlone: readonly string[];
  readonly monitoring?: MonitoringDetail | string;
}

export async function restoreAfterCancel(ctx: StepContext, secretCache: SecretCache): Promise<StepOutcome<RestoreDetail>> {
  const failures: StepFailure[] = [];
  const restored: string[] = [];
  const leftAlone: string[] = [];
  const sg = ctx.config.quarantineSecurityGroupId;

  let original: Awaited<ReturnType<typeof loadOriginalGroups>>;
  try {
    original = await loadOriginalGroups(ctx.clients, ctx.config.stateTableName, ctx.notice);
  } catch (err) {
    return { failures: [toFailure('DynamoDB GetItem (original groups)', err, ctx.config.stateTableName)] };
  }
  await Promise.all(
    ctx.instance.enis.map(async (eni) => {
      const groups = original?.[eni.id];
      const quarantined = eni.securityGroupIds.length === 1 && eni.securityGroupIds[0] === sg;
      if (!quarantined) return void leftAlone.push(`${eni.id}: not quarantined`);
      if (!groups?.length) return void leftAlone.push(`${eni.id}: no groups recorded before quarantine`);
      try {
        await ctx.clients.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.id, Groups: [...groups] }));
        restored.push(eni.id);
      } catch (err) {
        failures.push(toFailure('ModifyNetworkInterfaceAttribute', err, eni.id));
      }
    }),
  );
  const monitoring = await restoreMonitoring(ctx, secretCache);
  failures.push(...monitoring.failures);
  return { failures, detail: { restored: restored.sort(), leftAlone: leftAlone.sort(), monitoring: monitoring.detail ?? monitoring.skipped } };
}
