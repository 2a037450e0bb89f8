/**
 * Step 1: is this instance ours? EventBridge rules match every instance in the account and region, so
 * a notice may name another cluster's node. We touch nothing unless the instance exists and carries the
 * cluster tag (value `owned` or `shared`). A refusal is final (retrying cannot change a tag), so it is
 * returned, not thrown; an API failure is thrown so the caller can fail the invocation and let Lambda retry.
 */
import { DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AwsClients } from './clients';
import type { InstanceEni, VerifiedInstance } from './types';

export type Verification =
  | { readonly status: 'verified'; readonly instance: VerifiedInstance }
  | { readonly status: 'refused'; readonly reason: string };

const CLUSTER_TAG_VALUES = new Set(['owned', 'shared']);
const NOT_FOUND = new Set(['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed']);

export async function verifyInstance(
  instanceId: string,
  clusterTagKey: string,
  clients: Pick<AwsClients, 'ec2'>,
  log: Logger,
): Promise<Verification> {
  let instance: Instance | undefined;
  try {
    const out = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    instance = out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
  } catch (err) {
    if (!NOT_FOUND.has((err as Error).name)) throw err;
  }
  const verdict = judge(instance, instanceId, clusterTagKey);
  if (verdict.status === 'refused') log.info('refusing notice: instance is not part of this cluster', { reason: verdict.reason });
  return verdict;
}

function judge(instance: Instance | undefined, instanceId: string, clusterTagKey: string): Verification {
  if (!instance) return { status: 'refused', reason: `instance ${instanceId} does not exist in this account and region` };
  const tag = instance.Tags?.find((t) => t.Key === clusterTagKey);
  if (!tag || !CLUSTER_TAG_VALUES.has(tag.Value ?? '')) {
    return {
      status: 'refused',
      reason: `instance ${instanceId} has no ${clusterTagKey} tag with value owned or shared`,
    };
  }
  if (!instance.VpcId) return { status: 'refused', reason: `instance ${instanceId} is not in a VPC` };
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
