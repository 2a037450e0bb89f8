/**
 * Replays the notices Lambda parked in the on-failure queue: each record's original payload is
 * invoked again asynchronously, and the record is deleted ONLY once Lambda accepted the invoke
 * (202). A crash at any point loses nothing: an undeleted record becomes visible again after the
 * visibility timeout. A record replayed twice (accepted, then a crash before the delete) is
 * harmless: the handler deduplicates on the notice and skips the steps already done.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { parseDestinationRecord } from './record';

export interface RedriveOptions {
  readonly queueUrl: string;
  /**
   * The function every record is replayed to: the operator's choice or the stack's output, never the
   * functionArn a record names (a message in the queue must not choose what gets invoked).
   */
  readonly functionName: string;
  /** Read and report only: no invoke, no delete. @default false */
  readonly dryRun?: boolean;
  /** Stop after this many records. @default 100 */
  readonly maxMessages?: number;
  /** Stop receiving after this long. @default 300 */
  readonly maxSeconds?: number;
  /** How long a received record stays hidden; a record not deleted reappears after it. @default 60 */
  readonly visibilityTimeoutSeconds?: number;
  /** Long-poll wait per receive; an empty receive ends the run. @default 2 */
  readonly waitTimeSeconds?: number;
}

export interface RedriveClients {
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
}

export type OutcomeStatus = 'replayed' | 'failed' | 'skipped' | 'dry-run';

export interface RecordOutcome {
  readonly messageId: string;
  readonly status: OutcomeStatus;
  readonly requestId?: string;
  readonly functionName?: string;
  /** Set for a replayed record: false when its delete failed (it will come back). */
  readonly deleted?: boolean;
  readonly detail?: string;
  /** Set when the record named another function than the one replayed to. */
  readonly note?: string;
}

export interface RedriveSummary {
  readonly replayed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly dryRun: number;
  /** Replayed, but the delete failed: the record will be replayed again (harmless). */
  readonly notDeleted: number;
  readonly stoppedBy: 'queue-empty' | 'max-messages' | 'max-seconds';
  readonly outcomes: readonly RecordOutcome[];
}

export interface RedriveHooks {
  /** @default Date.now */
  readonly now?: () => number;
  /** One line per record as it is handled. @default - silent */
  readonly log?: (line: string) => void;
}

export async function redrive(options: RedriveOptions, clients: RedriveClients, hooks: RedriveHooks = {}): Promise<RedriveSummary> {
  const now = hooks.now ?? Date.now;
  const log = hooks.log ?? (() => undefined);
  const max = options.maxMessages ?? 100;
  const deadline = now() + (options.maxSeconds ?? 300) * 1000;
  const outcomes: RecordOutcome[] = [];
  const seen = new Set<string>();
  let notDeleted = 0;
  let drained = false;

  const outOfTime = () => now() >= deadline;
  while (outcomes.length < max && !outOfTime()) {
    const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({
      QueueUrl: options.queueUrl,
      MaxNumberOfMessages: Math.min(10, max - outcomes.length),
      VisibilityTimeout: options.visibilityTimeoutSeconds ?? 60,
      WaitTimeSeconds: options.waitTimeSeconds ?? 2,
    }));
    // A record seen earlier in this run came back after its visibility timeout: leave it for the next run.
    const fresh = Messages.filter((m) => m.MessageId && !seen.has(m.MessageId));
    if (!fresh.length) {
      drained = true;
      break;
    }
    for (const message of fresh) {
      // The rest of the batch stays hidden until its visibility timeout, then comes back: nothing lost.
      if (outOfTime()) break;
      seen.add(message.MessageId!);
      const outcome = await replayOne(message, options, clients);
      if (outcome.deleted === false) notDeleted++;
      outcomes.push(outcome);
      log(describe(outcome));
    }
  }
  const stoppedBy = drained ? 'queue-empty' : outcomes.length >= max ? 'max-messages' : 'max-seconds';
  const count = (s: OutcomeStatus) => outcomes.filter((o) => o.status === s).length;
  return { replayed: count('replayed'), failed: count('failed'), skipped: count('skipped'), dryRun: count('dry-run'), notDeleted, stoppedBy, outcomes };
}

async function replayOne(message: Message, options: RedriveOptions, clients: RedriveClients): Promise<RecordOutcome> {
  const messageId = message.MessageId!;
  const parsed = parseDestinationRecord(message.Body);
  // Not ours to judge: left in the queue untouched for a human.
  if (!parsed.ok) return { messageId, status: 'skipped', detail: parsed.reason };
  const { record } = parsed;
  const functionName = options.functionName;
  const named = record.functionArn.split(':')[6];
  const base = {
    messageId, requestId: record.requestId, functionName,
    ...(named && !functionName.split(':').includes(named) ? { note: `the record names ${named}; replayed to ${functionName} as told` } : {}),
  };
  if (options.dryRun) {
    return { ...base, status: 'dry-run', detail: `${record.condition} after ${record.approximateInvokeCount ?? '?'} attempt(s)${record.error ? `: ${record.error}` : ''}` };
  }
  try {
    const result = await clients.lambda.send(new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(record.requestPayload)),
    }));
    if (result.StatusCode !== 202) return { ...base, status: 'failed', detail: `Lambda answered ${result.StatusCode}, not 202; the record stays` };
  } catch (err) {
    return { ...base, status: 'failed', detail: `invoke failed, the record stays: ${errorText(err)}` };
  }
  try {
    await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }));
    return { ...base, status: 'replayed', deleted: true };
  } catch (err) {
    return { ...base, status: 'replayed', deleted: false, detail: `replayed, but not deleted (${errorText(err)}); it will be replayed again, which the handler ignores as a duplicate` };
  }
}

function describe(o: RecordOutcome): string {
  const who = o.requestId ? ` request ${o.requestId} → ${o.functionName}` : '';
  return `${o.status.padEnd(8)} message ${o.messageId}${who}${o.detail ? ` (${o.detail})` : ''}${o.note ? ` [${o.note}]` : ''}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

export function formatSummary(s: RedriveSummary): string {
  const parts = [`replayed ${s.replayed}`, `failed ${s.failed}`, `skipped ${s.skipped}`, `dry-run ${s.dryRun}`];
  const notes = [
    s.notDeleted ? `${s.notDeleted} replayed but not deleted (will replay again; the handler deduplicates)` : '',
    s.failed ? 'failed records stay in the queue and reappear after the visibility timeout: fix the cause and run again' : '',
    s.skipped ? 'skipped records are not Lambda destination records and were left in the queue' : '',
  ].filter(Boolean);
  return [`redrive: ${parts.join(', ')} (stopped: ${s.stoppedBy})`, ...notes].join('\n');
}
