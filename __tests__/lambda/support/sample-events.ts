/**
 * AWS's own EventBridge samples (from the EC2, Auto Scaling and AWS Health documentation), under
 * __tests__/lambda/events, with the instance id and time swapped for the test's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SAMPLE_EVENTS = {
  'spot-warning': 'spot-interruption-warning.json',
  rebalance: 'rebalance-recommendation.json',
  'state-change': 'instance-state-change.json',
  'capacity-reservation': 'capacity-reservation-interruption-warning.json',
  'asg-lifecycle': 'asg-terminate-lifecycle-action.json',
  'health-scheduled': 'health-ec2-retirement-scheduled.json',
} as const;
export type SampleKind = keyof typeof SAMPLE_EVENTS;

/** The instance id each sample names, as AWS's sample has it. */
const SAMPLE_INSTANCE_IDS = ['i-1234567890abcdef0', 'i-abcd1111', 'i-12345678'];

export function rawSample(kind: SampleKind): Record<string, any> {
  return JSON.parse(readFileSync(join(__dirname, '..', 'events', SAMPLE_EVENTS[kind]), 'utf8')) as Record<string, any>;
}

/** The sample with `instanceId` everywhere the sample named its instance, and `time` as the event time. */
export function sampleEvent(
  kind: SampleKind,
  options: { instanceId?: string; time?: string; detail?: Record<string, unknown> } = {},
): Record<string, any> {
  let text = JSON.stringify(rawSample(kind));
  if (options.instanceId) for (const id of SAMPLE_INSTANCE_IDS) text = text.split(`"${id}"`).join(`"${options.instanceId}"`).split(`/${id}"`).join(`/${options.instanceId}"`);
  const event = JSON.parse(text) as Record<string, any>;
  if (options.time) event.time = options.time;
  if (options.detail) event.detail = { ...event.detail, ...options.detail };
  return event;
}
