/**
 * Deduplication and resumption: one DynamoDB item per notice (pk = noticeKey(notice)) remembers each
 * step's outcome and whether the summary went out. Duplicate deliveries (daemon + EventBridge, Lambda
 * retries, concurrent containers) therefore cause no errors and ONE SNS message, and a retry after a
 * partial failure redoes only the failed steps.
 *
 * The DynamoDB calls, exactly (a fake endpoint implements only these):
 *  1. GetItem    Key {pk: S}, ConsistentRead true.
 *  2. UpdateItem record a step outcome (creates the item if absent, as UpdateItem does):
 *       UpdateExpression    'SET #step = :outcome, #instanceId = :instanceId, #expiresAt = :expiresAt'
 *       ConditionExpression 'attribute_not_exists(#step) OR #step = :failed'   — only when :outcome is 'failed',
 *                           so a late failure from a concurrent container never overwrites a success.
 *  3. UpdateItem claim the summary before publishing:
 *       UpdateExpression    'SET #summary = :claim, #instanceId = :instanceId, #expiresAt = :expiresAt'
 *       ConditionExpression 'attribute_not_exists(#summary)'
 *  4. UpdateItem release the claim when Publish failed, so a retry publishes:
 *       UpdateExpression    'REMOVE #summary'
 *       ConditionExpression '#summary = :claim'
 * Attribute names always go through ExpressionAttributeNames (#step is deregister | quarantine |
 * monitoring, #summary is summaryPublishedAt). Values: S strings, and N for expiresAt (epoch seconds,
 * the table's TTL attribute). ConditionalCheckFailedException means another delivery won: not an error.
 * When the table itself fails, the work still runs (the steps are idempotent); the failure is collected
 * and makes the invocation fail, at the price of a possible second summary.
 */
import { randomUUID } from 'node:crypto';
import { GetItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { noticeKey, type InterruptionNotice } from '../../contract/interruption-notice';
import { toFailure } from './errors';
import { ACTION_STEPS, type ActionStep, type StepFailure, type StepStatus } from './types';

/** Long enough to outlive Lambda's 6 h max event age and EventBridge's 24 h of retries. */
export const STATE_TTL_SECONDS = 2 * 24 * 3600;
const SUMMARY_ATTRIBUTE = 'summaryPublishedAt';
const CONDITION_FAILED = 'ConditionalCheckFailedException';

export interface PreviousAttempts {
  readonly steps: Partial<Record<ActionStep, StepStatus>>;
  readonly summaryPublished: boolean;
}

export type SummaryClaim =
  | { readonly status: 'claimed'; readonly token: string }
  | { readonly status: 'already-published' }
  /** The table failed: publish anyway — a possible duplicate beats silence. */
  | { readonly status: 'unavailable' };

export interface NoticeState {
  readonly key: string;
  /** Table failures seen so far; non-empty makes the invocation fail. */
  readonly failures: StepFailure[];
  load(): Promise<PreviousAttempts>;
  recordStep(step: ActionStep, status: StepStatus): Promise<void>;
  claimSummary(): Promise<SummaryClaim>;
  releaseSummary(token: string): Promise<void>;
}

export function noticeState(dynamodb: DynamoDBClient, tableName: string, notice: InterruptionNotice): NoticeState {
  const key = noticeKey(notice);
  const Key = { pk: { S: key } };
  const failures: StepFailure[] = [];
  const expiresAt = String(Math.floor(Math.max(Date.now(), Date.parse(notice.noticeTime)) / 1000) + STATE_TTL_SECONDS);
  const itemAttributes = { names: { '#instanceId': 'instanceId', '#expiresAt': 'expiresAt' }, values: { ':instanceId': { S: notice.instanceId }, ':expiresAt': { N: expiresAt } } };

  const update = async (operation: string, input: {
    UpdateExpression: string;
    ConditionExpression?: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
  }): Promise<'ok' | 'condition-failed' | 'error'> => {
    try {
      await dynamodb.send(new UpdateItemCommand({ TableName: tableName, Key, ...input }));
      return 'ok';
    } catch (err) {
      if ((err as Error).name === CONDITION_FAILED) return 'condition-failed';
      failures.push(toFailure(`DynamoDB UpdateItem (${operation})`, err, tableName));
      return 'error';
    }
  };

  return {
    key,
    failures,
    async load() {
      try {
        const out = await dynamodb.send(new GetItemCommand({ TableName: tableName, Key, ConsistentRead: true }));
        const item = out.Item ?? {};
        const steps: PreviousAttempts['steps'] = {};
        for (const step of ACTION_STEPS) {
          const value = item[step]?.S;
          if (value === 'succeeded' || value === 'failed' || value === 'skipped') steps[step] = value;
        }
        return { steps, summaryPublished: item[SUMMARY_ATTRIBUTE]?.S !== undefined };
      } catch (err) {
        failures.push(toFailure('DynamoDB GetItem', err, tableName));
        return { steps: {}, summaryPublished: false };
      }
    },
    async recordStep(step, status) {
      await update(`record ${step}`, {
        UpdateExpression: 'SET #step = :outcome, #instanceId = :instanceId, #expiresAt = :expiresAt',
        ...(status === 'failed' ? { ConditionExpression: 'attribute_not_exists(#step) OR #step = :failed' } : {}),
        ExpressionAttributeNames: { '#step': step, ...itemAttributes.names },
        ExpressionAttributeValues: {
          ':outcome': { S: status },
          ...(status === 'failed' ? { ':failed': { S: 'failed' } } : {}),
          ...itemAttributes.values,
        },
      });
    },
    async claimSummary() {
      const token = `${new Date().toISOString()}#${randomUUID()}`;
      const result = await update('claim summary', {
        UpdateExpression: 'SET #summary = :claim, #instanceId = :instanceId, #expiresAt = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#summary)',
        ExpressionAttributeNames: { '#summary': SUMMARY_ATTRIBUTE, ...itemAttributes.names },
        ExpressionAttributeValues: { ':claim': { S: token }, ...itemAttributes.values },
      });
      if (result === 'ok') return { status: 'claimed', token };
      return result === 'condition-failed' ? { status: 'already-published' } : { status: 'unavailable' };
    },
    async releaseSummary(token) {
      await update('release summary claim', {
        UpdateExpression: 'REMOVE #summary',
        ConditionExpression: '#summary = :claim',
        ExpressionAttributeNames: { '#summary': SUMMARY_ATTRIBUTE },
        ExpressionAttributeValues: { ':claim': { S: token } },
      });
    },
  };
}
