/** Fake SNS (awsQuery protocol): Publish to known topics, recorded for assertions. */
import { randomUUID } from 'node:crypto';
import { FakeAwsError, tag, type WireFormat } from './protocol';
import { QueryParams } from './query-params';

export interface PublishedMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  readonly time: number;
}

const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_SUBJECT_CHARS = 100;

export class FakeSns {
  readonly format: WireFormat = { protocol: 'query', xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/' };
  readonly topics = new Set<string>();
  readonly published: PublishedMessage[] = [];

  constructor(
    private readonly region: string,
    private readonly accountId: string,
    private readonly now: () => number,
  ) {}

  /** Registers a topic by name and returns its ARN; publishing to any other ARN is NotFound. */
  addTopic(name: string): string {
    const arn = `arn:aws:sns:${this.region}:${this.accountId}:${name}`;
    this.topics.add(arn);
    return arn;
  }

  throttlingError(): FakeAwsError {
    return new FakeAwsError('Throttling', 'Rate exceeded', 400);
  }

  invalidParameter(name: string, problem: string): FakeAwsError {
    return new FakeAwsError('InvalidParameter', `Invalid parameter: ${name} ${problem}`);
  }

  handle(action: string, params: QueryParams): string {
    if (action !== 'Publish') throw new FakeAwsError('InvalidAction', `The fake SNS does not implement ${action}`);
    const topicArn = params.required('TopicArn');
    const message = params.required('Message');
    const subject = params.get('Subject');
    if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) throw this.invalidParameter('Message', 'is longer than 256 KiB');
    if (subject !== undefined && (subject.length > MAX_SUBJECT_CHARS || /[\r\n]/.test(subject))) {
      throw this.invalidParameter('Subject', 'must be at most 100 characters with no line breaks');
    }
    if (!this.topics.has(topicArn)) throw new FakeAwsError('NotFound', 'Topic does not exist', 404);
    const messageId = randomUUID();
    this.published.push({ messageId, topicArn, subject, message, time: this.now() });
    return tag('MessageId', messageId);
  }
}
