import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { manualClock } from '../fakes/aws';
import { startHarness, type Harness } from './harness';

const clock = manualClock();
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clock: clock.now });
});
afterAll(() => h.close());

const receive = (QueueUrl: string, extra: { VisibilityTimeout?: number; MaxNumberOfMessages?: number; WaitTimeSeconds?: number } = {}) =>
  h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'], ...extra }))
    .then((r) => r.Messages ?? []);

const depth = async (QueueUrl: string) =>
  (await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;

describe('fake SQS through the real SDK (AWS JSON 1.0, query-compatible)', () => {
  it('hides a received message for its visibility timeout, then redelivers it with a new handle', async () => {
    const { url } = h.aws.sqs.createQueue('visibility');
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"instanceId":"i-0123456789abcdef0"}' }));
    expect((await depth(url)).ApproximateNumberOfMessages).toBe('1');

    const [first] = await receive(url, { VisibilityTimeout: 30, MaxNumberOfMessages: 10 });
    expect(first!.Body).toContain('i-0123456789abcdef0');
    expect(await receive(url)).toHaveLength(0);
    expect(await depth(url)).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });

    clock.advance(30_000);
    const [again] = await receive(url, { VisibilityTimeout: 30 });
    expect(again!.MessageId).toBe(first!.MessageId);
    expect(again!.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    expect(again!.ReceiptHandle).not.toBe(first!.ReceiptHandle);

    // A stale handle succeeds but deletes nothing; the latest one deletes.
    await h.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle }));
    expect(h.aws.sqs.bodies('visibility')).toHaveLength(1);
    await h.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again!.ReceiptHandle }));
    expect(h.aws.sqs.bodies('visibility')).toHaveLength(0);
  });

  it('respects MaxNumberOfMessages and resolves queue URLs by name', async () => {
    const { url } = h.aws.sqs.createQueue('batch');
    for (let i = 0; i < 5; i++) await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i}` }));
    expect(await receive(url, { MaxNumberOfMessages: 3 })).toHaveLength(3);
    expect(await receive(url, { MaxNumberOfMessages: 10 })).toHaveLength(2);
    expect((await h.sqs.send(new GetQueueUrlCommand({ QueueName: 'batch' }))).QueueUrl).toBe(url);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const dlq = h.aws.sqs.createQueue('failures');
    const { url } = h.aws.sqs.createQueue('work', { redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 } });
    await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) {
      expect(await receive(url, { VisibilityTimeout: 1 })).toHaveLength(1);
      clock.advance(1_000);
    }
    expect(await receive(url)).toHaveLength(0);
    expect(h.aws.sqs.bodies('failures')).toEqual(['poison']);
    expect((await receive(dlq.url))[0]!.Body).toBe('poison');
  });

  it('returns a long poll as soon as a message arrives', async () => {
    const { url } = h.aws.sqs.createQueue('long-poll');
    const polled = receive(url, { WaitTimeSeconds: 5 });
    setTimeout(() => void h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'late' })), 50);
    expect((await polled).map((m) => m.Body)).toEqual(['late']);
  });

  it('maps errors to the modeled query-compatible exceptions', async () => {
    const missing = `${h.aws.endpoints.sqs}/${h.aws.accountId}/nope`;
    const error = await h.sqs.send(new SendMessageCommand({ QueueUrl: missing, MessageBody: 'x' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect((error as QueueDoesNotExist & { Code?: string }).Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
    const { url } = h.aws.sqs.createQueue('errors');
    await expect(h.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' }))).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
    h.aws.faults.throttle('sqs', { times: 1 });
    await expect(h.clients({ maxAttempts: 1 }).sqs.send(new GetQueueAttributesCommand({ QueueUrl: url })))
      .rejects.toMatchObject({ name: 'RequestThrottled' });
  });
});
