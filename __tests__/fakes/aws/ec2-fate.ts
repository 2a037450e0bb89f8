/**
 * What EC2 knows about an instance's fate, for the fake EC2: each instance's Spot request status
 * (DescribeSpotInstanceRequests) and its scheduled events (DescribeInstanceStatus). Element names
 * follow the EC2 API reference (`spotInstanceRequestSet`, `instanceStatusSet`, `eventsSet`).
 */
import type { FakeInstance } from './ec2';
import { FakeAwsError, node, tag, xmlList } from './protocol';
import type { QueryParams } from './query-params';

export interface FakeScheduledEvent {
  readonly id: string;
  /** `instance-reboot`, `system-reboot`, `system-maintenance`, `instance-retirement`, `instance-stop`. */
  readonly code: string;
  /** AWS prefixes `[Completed]` or `[Canceled]` once the event is over. */
  readonly description: string;
  readonly notBefore: string;
}

export class FakeInstanceFate {
  /** Spot request status code per spot instance; a spot instance without an entry is `fulfilled`. */
  readonly spotStatus = new Map<string, string>();
  readonly scheduledEvents = new Map<string, FakeScheduledEvent[]>();

  /** Marks the instance's Spot request as EC2 does when it issues the two-minute warning. */
  markForInterruption(instanceId: string, action: 'terminate' | 'stop' | 'hibernate' = 'terminate'): void {
    this.spotStatus.set(instanceId, `marked-for-${action === 'hibernate' ? 'hibernation' : action}`);
  }

  /** The answer to `action`, or undefined when it is not one of this module's actions. */
  handle(action: string, params: QueryParams, instances: ReadonlyMap<string, FakeInstance>): string | undefined {
    if (action === 'DescribeSpotInstanceRequests') {
      const filters = params.structs('Filter').map((f) => ({ name: f.required('Name'), values: f.list('Value') }));
      for (const f of filters) {
        if (f.name !== 'instance-id') throw new FakeAwsError('InvalidParameterValue', `The filter '${f.name}' is invalid (or not implemented by the fake EC2)`);
      }
      const wanted = filters.flatMap((f) => f.values);
      const spot = [...instances.values()].filter((i) => i.lifecycle === 'spot' && (!wanted.length || wanted.includes(i.id)));
      return xmlList('spotInstanceRequestSet', 'item', spot, (i) =>
        tag('spotInstanceRequestId', `sir-${i.id.slice(2, 10)}`) + tag('state', 'active') + tag('type', 'one-time') +
        node('status', tag('code', this.spotStatus.get(i.id) ?? 'fulfilled')) + tag('instanceId', i.id));
    }
    if (action === 'DescribeInstanceStatus') {
      const ids = params.list('InstanceId');
      const missing = ids.filter((id) => !instances.has(id));
      if (missing.length) throw new FakeAwsError('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
      const includeAll = params.get('IncludeAllInstances') === 'true';
      const chosen = (ids.length ? ids.map((id) => instances.get(id)!) : [...instances.values()]).filter((i) => includeAll || i.state === 'running');
      return xmlList('instanceStatusSet', 'item', chosen, (i) =>
        tag('instanceId', i.id) + tag('availabilityZone', i.availabilityZone) +
        xmlList('eventsSet', 'item', this.scheduledEvents.get(i.id) ?? [], (e) =>
          tag('instanceEventId', e.id) + tag('code', e.code) + tag('description', e.description) + tag('notBefore', e.notBefore)) +
        node('instanceState', tag('name', i.state)));
    }
    return undefined;
  }
}
