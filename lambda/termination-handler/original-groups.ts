/**
 * What quarantine replaced, kept so it can be undone: before quarantining the node for a
 * scheduled-maintenance notice (the one signal AWS may cancel), each ENI's security groups are
 * written to the notice's state item (attribute `originalGroups`, a JSON object ENI id → group ids).
 * Written once (`attribute_not_exists`), so a retry never records the quarantine group as original.
 *
 * DynamoDB calls (the same table and key as state.ts):
 *   UpdateItem  'SET #og = :og, #instanceId = :instanceId, #expiresAt = :expiresAt'
 *               condition 'attribute_not_exists(#og)'
 *   GetItem     ConsistentRead, ProjectionExpression '#og'
 */
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { noticeKey, type InterruptionNotice } from '../../contract/interruption-notice';
import type { AwsClients } from './clients';
import { STATE_TTL_SECONDS } from './state';
import type { InstanceEni } from './types';

export const ORIGINAL_GROUPS_ATTRIBUTE = 'originalGroups';
export type OriginalGroups = Readonly<Record<string, readonly string[]>>;

/** Whether quarantine must record what it replaces for this notice. */
export function keepsOriginalGroups(notice: Pick<InterruptionNotice, 'signal'>): boolean {
  return notice.signal === 'scheduled-maintenance';
}

/** Records the ENIs' current groups; a record made earlier is kept. Throws when the table fails. */
export async function recordOriginalGroups(
  clients: Pick<AwsClients, 'dynamodb'>,
  tableName: string,
  notice: InterruptionNotice,
  enis: readonly InstanceEni[],
): Promise<void> {
  const groups: Record<string, readonly string[]> = Object.fromEntries(enis.map((e) => [e.id, e.securityGroupIds]));
  const expiresAt = String(Math.floor(Math.max(Date.now(), Date.parse(notice.noticeTime)) / 1000) + STATE_TTL_SECONDS);
  try {
    await clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: noticeKey(notice) } },
        UpdateExpression: 'SET #og = :og, #instanceId = :instanceId, #expiresAt = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#og)',
        ExpressionAttributeNames: { '#og': ORIGINAL_GROUPS_ATTRIBUTE, '#instanceId': 'instanceId', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':og': { S: JSON.stringify(groups) }, ':instanceId': { S: notice.instanceId }, ':expiresAt': { N: expiresAt } },
      }),
    );
  } catch (err) {
    if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
  }
}

/** The groups recorded for this notice, or undefined when none were. Throws when the table fails. */
export async function loadOriginalGroups(
  clients: Pick<AwsClients, 'dynamodb'>,
  tableName: string,
  notice: InterruptionNotice,
): Promise<OriginalGroups | undefined> {
  const out = await clients.dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { pk: { S: noticeKey(notice) } },
      ConsistentRead: true,
      ProjectionExpression: '#og',
      ExpressionAttributeNames: { '#og': ORIGINAL_GROUPS_ATTRIBUTE },
    }),
  );
  const raw = out.Item?.[ORIGINAL_GROUPS_ATTRIBUTE]?.S;
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as unknown;
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  return Object.fromEntries(
    Object.entries(parsed).filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].every((g) => typeof g === 'string')),
  );
}
