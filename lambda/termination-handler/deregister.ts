/**
 * Step 2: take the instance out of every target group in its VPC, before EC2 takes it away.
 *
 * Why DescribeTargetHealth WITHOUT `Targets`: with `Targets: [{Id}]` ELB reports that id on the group's
 * default port only, so registrations on other ports — the NodePorts of the AWS Load Balancer
 * Controller's instance mode, or several ports per id — would be missed. Listing the group's targets and
 * filtering by id costs the same one call per group and finds every (id, port) pair.
 * `instance` groups match the instance id; `ip` groups match any address of any of its ENIs.
 * Targets already `draining` are left alone, so a retry repeats only what is still registered.
 */
import {
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  paginateDescribeTargetGroups,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { toFailure } from './errors';
import { instanceAddressMatcher } from './instance-addresses';
import { createLimiter } from './limit';
import type { StepContext, StepFailure, StepOutcome } from './types';

/** DescribeTargetGroups returns at most 400 groups a page. */
export const TARGET_GROUP_PAGE_SIZE = 400;
/** A runaway marker must not loop forever: 50 pages is 20 000 groups, far above the ELB quota. */
const MAX_PAGES = 50;
const DELAY_ATTRIBUTE = 'deregistration_delay.timeout_seconds';

export interface TouchedGroup {
  readonly arn: string;
  readonly name: string;
  readonly targetType: 'instance' | 'ip';
  readonly targets: readonly { id: string; port?: number }[];
  /** Seconds ELB keeps draining; undefined when the attribute could not be read. */
  readonly deregistrationDelaySeconds?: number;
}

export interface DeregisterDetail {
  readonly groupsScanned: number;
  readonly groupsInVpc: number;
  readonly groupsTouched: readonly TouchedGroup[];
  readonly targetsDeregistered: number;
  /** Groups whose drain outlasts the notice window: in-flight requests will be cut. */
  readonly slowGroups: readonly { arn: string; name: string; delaySeconds: number }[];
  /** Failed reads that left no work undone (the delay attribute). */
  readonly warnings: readonly StepFailure[];
}

export async function deregisterFromTargetGroups(ctx: StepContext): Promise<StepOutcome<DeregisterDetail>> {
  const { elbv2 } = ctx.clients;
  const limit = createLimiter(ctx.config.deregisterConcurrency);
  const ownsAddress = instanceAddressMatcher(ctx.instance.enis);
  const failures: StepFailure[] = [];
  const warnings: StepFailure[] = [];
  const work: Promise<TouchedGroup | undefined>[] = [];
  let scanned = 0;

  const processGroup = async (group: TargetGroup): Promise<TouchedGroup | undefined> => {
    const arn = group.TargetGroupArn!;
    const isMine = group.TargetType === 'instance' ? (id: string) => id === ctx.instance.instanceId : ownsAddress;
    let registered;
    try {
      registered = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    } catch (err) {
      // A group deleted while we page is not work left undone.
      if ((err as Error).name !== 'TargetGroupNotFoundException') failures.push(toFailure('DescribeTargetHealth', err, arn));
      return undefined;
    }
    const targets = (registered.TargetHealthDescriptions ?? [])
      .filter((d) => d.Target?.Id && isMine(d.Target.Id) && d.TargetHealth?.State !== 'draining')
      .map((d) => ({ id: d.Target!.Id!, port: d.Target!.Port }));
    if (!targets.length) return undefined;

    const [deregistered, attributes] = await Promise.allSettled([
      elbv2.send(
        new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: targets.map((t) => ({ Id: t.id, Port: t.port })) }),
      ),
      elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })),
    ]);
    if (deregistered.status === 'rejected') {
      failures.push(toFailure('DeregisterTargets', deregistered.reason, arn));
      return undefined;
    }
    let delay: number | undefined;
    if (attributes.status === 'fulfilled') {
      const value = attributes.value.Attributes?.find((a) => a.Key === DELAY_ATTRIBUTE)?.Value;
      delay = value === undefined ? 300 : Number(value); // ELB's default when the attribute is absent
    } else {
      warnings.push(toFailure('DescribeTargetGroupAttributes', attributes.reason, arn));
    }
    return {
      arn,
      name: group.TargetGroupName ?? arn,
      targetType: group.TargetType as 'instance' | 'ip',
      targets,
      deregistrationDelaySeconds: delay,
    };
  };

  try {
    let pages = 0;
    // Groups of the first page are processed while the next page is fetched.
    for await (const page of paginateDescribeTargetGroups({ client: elbv2 }, { PageSize: TARGET_GROUP_PAGE_SIZE })) {
      for (const group of page.TargetGroups ?? []) {
        scanned++;
        const relevant = group.VpcId === ctx.instance.vpcId && (group.TargetType === 'instance' || group.TargetType === 'ip');
        if (relevant && group.TargetGroupArn) work.push(limit(() => processGroup(group)));
      }
      if (++pages >= MAX_PAGES) {
        failures.push(toFailure('DescribeTargetGroups', new Error(`stopped after ${MAX_PAGES} pages`)));
        break;
      }
    }
  } catch (err) {
    failures.push(toFailure('DescribeTargetGroups', err));
  }

  const touched = (await Promise.all(work)).filter((g): g is TouchedGroup => g !== undefined);
  const window = ctx.config.noticeWindowSeconds;
  return {
    failures,
    detail: {
      groupsScanned: scanned,
      groupsInVpc: work.length,
      groupsTouched: touched,
      targetsDeregistered: touched.reduce((n, g) => n + g.targets.length, 0),
      slowGroups: touched
        .filter((g) => g.deregistrationDelaySeconds !== undefined && g.deregistrationDelaySeconds > window)
        .map((g) => ({ arn: g.arn, name: g.name, delaySeconds: g.deregistrationDelaySeconds! })),
      warnings,
    },
  };
}
