/**
 * Step 1: may this notice change anything? Two questions, both answered by AWS:
 *  1. Is the instance ours? EventBridge rules match every instance in the account and region, so a
 *     notice may name another cluster's node: it must exist and carry the cluster tag (`owned` or `shared`).
 *  2. Is the notice true? confirm.ts asks AWS (Spot request status, Auto Scaling lifecycle state,
 *     scheduled events, instance state). A forged notice for a healthy node is refused here.
 * A refusal is an answer (returned); an AWS failure throws (with `operation` naming the call), so the
 * caller fails closed — nothing mutated — and Lambda retries. An unconfirmed notice is asked again a
 * few times, `confirmIntervalMs` apart, before it is refused: AWS's describe APIs are eventually
 * consistent, and the warning may be seconds ahead of them.
 */
import { DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { InterruptionNotice } from '../../contract/interruption-notice';
import type { AwsClients } from './clients';
import { confirmWithAws, ConfirmationError } from './confirm';
import type { InstanceEni, VerifiedInstance } from './types';

export type Verification =
  | { readonly status: 'verified'; readonly instance: VerifiedInstance; readonly evidence: string }
  | {
      readonly status: 'refused';
      readonly reason: string;
      /**
       * `not-in-cluster`: not ours (or already terminated, nothing left), said nowhere but the log.
       * `not-confirmed`: AWS does not confirm it — a security signal.
       */
      readonly cause: 'not-in-cluster' | 'not-confirmed';
    };

export interface VerifyOptions {
  readonly clusterTagKey: string;
  /** How many times an unconfirmed notice is asked about. @default 3 */
  readonly confirmAttempts?: number;
  /** Pause between those attempts. @default 1000 */
  readonly confirmIntervalMs?: number;
}

const CLUSTER_TAG_VALUES = new Set(['owned', 'shared']);
const NOT_FOUND = new Set(['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function verifyInstance(
  notice: Pick<InterruptionNotice, 'instanceId' | 'signal' | 'action'>,
  options: VerifyOptions,
  clients: Pick<AwsClients, 'ec2' | 'autoscaling'>,
  log: Logger,
): Promise<Verification> {
  const { instanceId } = notice;
  let instance: Instance | undefined;
  try {
    const out = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    instance = out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
  } catch (err) {
    if (!NOT_FOUND.has((err as Error).name)) throw new ConfirmationError('DescribeInstances', err);
  }
  const verdict = judge(instance, instanceId, options.clusterTagKey);
  if (verdict.status === 'refused') {
    log.info('refusing notice: instance is not part of this cluster', { reason: verdict.reason });
    return verdict;
  }
  const attempts = Math.max(1, options.confirmAttempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    const confirmation = await confirmWithAws(notice, { instanceId, state: verdict.instance.state }, clients);
    if (confirmation.status === 'confirmed') {
      const confirmed = { ...verdict.instance, ...(confirmation.autoScalingGroupName ? { autoScalingGroupName: confirmation.autoScalingGroupName } : {}) };
      return { status: 'verified', instance: confirmed, evidence: confirmation.evidence };
    }
    if (attempt >= attempts) {
      log.warn('refusing notice: not confirmed by AWS', { reason: confirmation.reason, signal: notice.signal, action: notice.action, attempts });
      return { status: 'refused', reason: `not confirmed by AWS: ${confirmation.reason}`, cause: 'not-confirmed' };
    }
    await sleep(options.confirmIntervalMs ?? 1000);
  }
}

type Judgement = { readonly status: 'verified'; readonly instance: VerifiedInstance } | Extract<Verification, { status: 'refused' }>;

function judge(instance: Instance | undefined, instanceId: string, clusterTagKey: string): Judgement {
  const cause = 'not-in-cluster';
  if (!instance) return { status: 'refused', cause, reason: `instance ${instanceId} does not exist in this account and region` };
  const tag = instance.Tags?.find((t) => t.Key === clusterTagKey);
  if (!tag || !CLUSTER_TAG_VALUES.has(tag.Value ?? '')) {
    return {
      status: 'refused',
      cause,
      reason: `instance ${instanceId} has no ${clusterTagKey} tag with value owned or shared`,
    };
  }
  if (!instance.VpcId) {
    // EC2 stops describing the network of a terminated instance: its ENIs are gone, ELB drops its
    // instance targets itself, and there is nothing left to deregister or quarantine.
    const gone = instance.State?.Name === 'terminated';
    return { status: 'refused', cause, reason: gone ? `instance ${instanceId} is already terminated: nothing left to take out of service` : `instance ${instanceId} is not in a VPC` };
  }
  return {
    status: 'verified',
    instance: {
      instanceId,
      vpcId: instance.VpcId,
      privateDnsName: instance.PrivateDnsName || undefined,
      state: instance.State?.Name,
      enis: (instance.NetworkInterfaces ?? []).flatMap((eni): InstanceEni[] =>
        eni.NetworkInterfaceId
          ? [
              {
                id: eni.NetworkInterfaceId,
                addresses: [
                  ...(eni.PrivateIpAddresses ?? []).flatMap((a) => (a.PrivateIpAddress ? [a.PrivateIpAddress] : [])),
                  ...(eni.Ipv6Addresses ?? []).flatMap((a) => (a.Ipv6Address ? [a.Ipv6Address] : [])),
                ],
                ipv4Prefixes: (eni.Ipv4Prefixes ?? []).flatMap((p) => (p.Ipv4Prefix ? [p.Ipv4Prefix] : [])),
                securityGroupIds: (eni.Groups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
              },
            ]
          : [],
      ),
    },
  };
}
