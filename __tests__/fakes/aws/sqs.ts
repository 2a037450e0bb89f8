/**
 * Fake SQS (AWS JSON 1.0, awsQueryCompatible): standard queues with visibility timeouts,
 * receipt handles, receive counts and an optional redrive policy into a dead-letter queue.
 */
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeAwsError, type WireFormat } from './protocol';

interface FakeMessage {
  readonly id: string;
  readonly body: string;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** Only the latest receipt handle deletes the message; older ones are silently ignored. */
  receiptNonce?: string;
}

export interface FakeQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly visibilityTimeoutSeconds: number;
  readonly redrivePolicy?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
  readonly messages: FakeMessage[];
}

type Input = Record<string, unknown>;
const MAX_BODY_BYTES = 256 * 1024;
const LONG_POLL_STEP_MS = 20;

export class FakeSqs {
  readonly format: WireFormat = { protocol: 'json1.0', targetPrefix: 'AmazonSQS', errorTypePrefix: 'com.amazonaws.sqs#', queryCompatible: true };
  readonly queues = new Map<string, FakeQueue>();
  /** Aborted on server close, so a long poll never holds the server open. */
  readonly closing = new AbortController();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
    private readonly now: () => number,
    /** The server's origin, known only once it listens; queue URLs must share it (the SDK checks). */
    private readonly origin: () => string,
  ) {}

  createQueue(name: string, options: { visibilityTimeoutSeconds?: number; redrivePolicy?: FakeQueue['redrivePolicy'] } = {}): FakeQueue {
    const queue: FakeQueue = {
      name,
      url: `${this.origin()}/${this.accountId}/${name}`,
      arn: `arn:aws:sqs:${this.region}:${this.accountId}:${name}`,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
      redrivePolicy: options.redrivePolicy,
      messages: [],
    };
    this.queues.set(name, queue);
    return queue;
  }

  /** Message bodies currently in a queue (visible or not), for assertions. */
  bodies(name: string): string[] {
    return (this.queues.get(name)?.messages ?? []).map((m) => m.body);
  }

  throttlingError(): FakeAwsError {
    return new FakeAwsError('RequestThrottled', 'Request is throttled.', 403);
  }

  async handle(action: string, input: Input): Promise<object> {
    switch (action) {
      case 'GetQueueUrl': return { QueueUrl: this.queueNamed(str(input, 'QueueName')).url };
      case 'SendMessage': return this.sendMessage(input);
      case 'ReceiveMessage': return this.receiveMessage(input);
      case 'DeleteMessage': return this.deleteMessage(input);
      case 'GetQueueAttributes': return this.getQueueAttributes(input);
      default: throw new FakeAwsError('UnsupportedOperation', `The fake SQS does not implement ${action}`, 400, {
        queryCode: 'AWS.SimpleQueueService.UnsupportedOperation',
      });
    }
  }

  private sendMessage(input: Input): object {
    const queue = this.queueAt(input);
    const body = str(input, 'MessageBody');
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw invalidParameter('MessageBody', 'must be at most 256 KiB');
    const delay = int(input, 'DelaySeconds', 0, 900) ?? 0;
    const now = this.now();
    const message: FakeMessage = { id: randomUUID(), body, sentAt: now, visibleAt: now + delay * 1000, receiveCount: 0 };
    queue.messages.push(message);
    return { MessageId: message.id, MD5OfMessageBody: md5(body) };
  }

  private async receiveMessage(input: Input): Promise<object> {
    const queue = this.queueAt(input);
    const max = int(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
    const visibility = int(input, 'VisibilityTimeout', 0, 43200) ?? queue.visibilityTimeoutSeconds;
    const waitMs = (int(input, 'WaitTimeSeconds', 0, 20) ?? 0) * 1000;
    const wanted = new Set([...list(input, 'AttributeNames'), ...list(input, 'MessageSystemAttributeNames')]);
    // Long polling waits in real time (not the injected clock): it is about the caller's socket.
    const deadline = Date.now() + waitMs;
    this.redrive(queue);
    let ready = this.visible(queue);
    while (!ready.length && Date.now() < deadline && !this.closing.signal.aborted) {
      await sleep(LONG_POLL_STEP_MS, undefined, { signal: this.closing.signal }).catch(() => undefined);
      this.redrive(queue);
      ready = this.visible(queue);
    }
    const now = this.now();
    const messages = ready.slice(0, max).map((m) => {
      m.receiveCount++;
      m.firstReceivedAt ??= now;
      m.visibleAt = now + visibility * 1000;
      m.receiptNonce = randomUUID();
      const attributes: Record<string, string> = {
        SentTimestamp: String(m.sentAt),
        ApproximateReceiveCount: String(m.receiveCount),
        ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt),
      };
      const chosen = Object.entries(attributes).filter(([k]) => wanted.has('All') || wanted.has(k));
      return {
        MessageId: m.id,
        ReceiptHandle: Buffer.from(JSON.stringify([queue.name, m.id, m.receiptNonce])).toString('base64url'),
        MD5OfBody: md5(m.body),
        Body: m.body,
        ...(chosen.length ? { Attributes: Object.fromEntries(chosen) } : {}),
      };
    });
    return messages.length ? { Messages: messages } : {};
  }

  private visible(queue: FakeQueue): FakeMessage[] {
    const now = this.now();
    return queue.messages.filter((m) => m.visibleAt <= now);
  }

  /** Before a receive, as in SQS: visible messages received `maxReceiveCount` times move to the DLQ. */
  private redrive(queue: FakeQueue): void {
    const policy = queue.redrivePolicy;
    const dlq = policy && [...this.queues.values()].find((q) => q.arn === policy.deadLetterTargetArn);
    if (!policy || !dlq) return;
    const now = this.now();
    for (let i = queue.messages.length - 1; i >= 0; i--) {
      const m = queue.messages[i]!;
      if (m.visibleAt <= now && m.receiveCount >= policy.maxReceiveCount) {
        queue.messages.splice(i, 1);
        dlq.messages.push({ ...m, receiptNonce: undefined }); // keeps its receive count, as in SQS
      }
    }
  }

  private deleteMessage(input: Input): object {
    const queue = this.queueAt(input);
    const handle = str(input, 'ReceiptHandle');
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(handle, 'base64url').toString());
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== queue.name) {
      throw new FakeAwsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, 400);
    }
    const index = queue.messages.findIndex((m) => m.id === parsed[1] && m.receiptNonce === parsed[2]);
    if (index >= 0) queue.messages.splice(index, 1);
    return {};
  }

  private getQueueAttributes(input: Input): object {
    const queue = this.queueAt(input);
    const now = this.now();
    const visible = this.visible(queue).length;
    const inFlight = queue.messages.filter((m) => m.visibleAt > now && m.receiveCount > 0).length;
    const all: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(inFlight),
      ApproximateNumberOfMessagesDelayed: String(queue.messages.length - visible - inFlight),
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
      ...(queue.redrivePolicy ? { RedrivePolicy: JSON.stringify(queue.redrivePolicy) } : {}),
    };
    const names = list(input, 'AttributeNames');
    for (const n of names) {
      if (n !== 'All' && !(n in all)) throw new FakeAwsError('InvalidAttributeName', `Unknown Attribute ${n}.`);
    }
    const chosen = names.includes('All') ? all : Object.fromEntries(names.map((n) => [n, all[n]!]));
    return { Attributes: chosen };
  }

  private queueAt(input: Input): FakeQueue {
    const url = str(input, 'QueueUrl');
    return this.queueNamed(url.slice(url.lastIndexOf('/') + 1));
  }

  private queueNamed(name: string): FakeQueue {
    const queue = this.queues.get(name);
    if (!queue) {
      throw new FakeAwsError('QueueDoesNotExist', 'The specified queue does not exist.', 400, {
        queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
      });
    }
    return queue;
  }
}

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

const invalidParameter = (name: string, problem: string): FakeAwsError =>
  new FakeAwsError('InvalidParameterValue', `Value for parameter ${name} is invalid. Reason: ${problem}.`);

function str(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || !value) throw new FakeAwsError('MissingParameter', `The request must contain the parameter ${name}.`);
  return value;
}

function int(input: Input, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(name, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function list(input: Input, name: string): string[] {
  const value = input[name];
  return Array.isArray(value) ? value.map(String) : [];
}
