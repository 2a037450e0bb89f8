/**
 * The wave's shared state in the handler's DynamoDB table (two items beside the per-notice ones):
 *
 *  - `wave#lease`: who leads the running wave (`holder`) and until when (`leaseUntil`, epoch ms). One
 *    container at a time holds it, so one pacer at a time spends the account's API buckets.
 *      acquire  UpdateItem SET #holder = :me, #until = :until
 *               IF attribute_not_exists(#holder) OR #until < :now OR #holder = :me
 *      release  UpdateItem REMOVE #holder, #until IF #holder = :me
 *  - `wave#board`: one attribute per waiting notice, `notice:<noticeKey>` = JSON `{ notice, result? }`.
 *    An invocation posts its notice there; the leader takes every entry without a result into its
 *    wave and writes the result back; the invocation that posted it reads the result, removes the
 *    entry and answers Lambda with it (so a failure still fails THAT invocation, and Lambda retries it).
 */
import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const LEASE_KEY = 'wave#lease';
export const BOARD_KEY = 'wave#board';
const ENTRY_PREFIX = 'notice:';
const CONDITION_FAILED = 'ConditionalCheckFailedException';
/** The board item outlives any wave by far; each write pushes this further. */
const BOARD_TTL_SECONDS = 24 * 3600;

export interface WaveResult {
  readonly status: 'done' | 'duplicate' | 'refused' | 'failed';
  readonly detail?: string;
  /** Epoch ms the leader wrote it. */
  readonly at: number;
}

export interface BoardEntry {
  readonly notice: unknown;
  /** Epoch ms the waiting invocation posted it (or last re-posted it). */
  readonly postedAt?: number;
  readonly result?: WaveResult;
}

export interface WaveBoard {
  /** True when this container now holds the lease. Throws when the table cannot be reached. */
  tryLead(): Promise<boolean>;
  /** Extends the lease; false when it was lost (another container took it after it expired). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
  post(noticeKey: string, entry: BoardEntry): Promise<void>;
  entries(): Promise<Map<string, BoardEntry>>;
  remove(noticeKey: string): Promise<void>;
}

export function waveBoard(dynamodb: DynamoDBClient, tableName: string, me: string, leaseMs: number, now: () => number = Date.now): WaveBoard {
  const leaseKey = { pk: { S: LEASE_KEY } };
  const boardKey = { pk: { S: BOARD_KEY } };
  const expires = () => ({ N: String(Math.floor(now() / 1000) + BOARD_TTL_SECONDS) });
  const lease = async (): Promise<boolean> => {
    try {
      await dynamodb.send(new UpdateItemCommand({
        TableName: tableName,
        Key: leaseKey,
        UpdateExpression: 'SET #holder = :me, #until = :until, #expiresAt = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#holder) OR #until < :now OR #holder = :me',
        ExpressionAttributeNames: { '#holder': 'holder', '#until': 'leaseUntil', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':me': { S: me }, ':until': { N: String(now() + leaseMs) }, ':now': { N: String(now()) }, ':expiresAt': expires() },
      }));
      return true;
    } catch (err) {
      if ((err as Error).name === CONDITION_FAILED) return false;
      throw err;
    }
  };
  return {
    tryLead: lease,
    renew: () => lease().catch(() => false),
    async release() {
      await dynamodb.send(new UpdateItemCommand({
        TableName: tableName,
        Key: leaseKey,
        UpdateExpression: 'REMOVE #holder, #until',
        ConditionExpression: '#holder = :me',
        ExpressionAttributeNames: { '#holder': 'holder', '#until': 'leaseUntil' },
        ExpressionAttributeValues: { ':me': { S: me } },
      })).catch(() => undefined); // lost already: it expires by itself
    },
    async post(noticeKey, entry) {
      await dynamodb.send(new UpdateItemCommand({
        TableName: tableName,
        Key: boardKey,
        UpdateExpression: 'SET #entry = :entry, #expiresAt = :expiresAt',
        ExpressionAttributeNames: { '#entry': ENTRY_PREFIX + noticeKey, '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':entry': { S: JSON.stringify(entry) }, ':expiresAt': expires() },
      }));
    },
    async entries() {
      const out = await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: boardKey, ConsistentRead: true }));
      const entries = new Map<string, BoardEntry>();
      for (const [name, value] of Object.entries(out.Item ?? {})) {
        if (!name.startsWith(ENTRY_PREFIX) || value.S === undefined) continue;
        try {
          entries.set(name.slice(ENTRY_PREFIX.length), JSON.parse(value.S) as BoardEntry);
        } catch {
          // Not written by us: ignored, never acted on.
        }
      }
      return entries;
    },
    async remove(noticeKey) {
      await dynamodb.send(new UpdateItemCommand({
        TableName: tableName,
        Key: boardKey,
        UpdateExpression: 'REMOVE #entry',
        ExpressionAttributeNames: { '#entry': ENTRY_PREFIX + noticeKey },
      }));
    },
  };
}
