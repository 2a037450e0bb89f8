import { GetSecretValueCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { InvalidParameterException, NotFoundException, PublishCommand } from '@aws-sdk/client-sns';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('fake SNS through the real SDK (awsQuery)', () => {
  it('records a publish with topic, subject and message, and returns its id', async () => {
    const TopicArn = h.aws.sns.addTopic('interruptions');
    const Message = JSON.stringify({ instanceId: 'i-0123456789abcdef0', note: '<&> quoted "xml" chars' });
    const out = await h.sns.send(new PublishCommand({ TopicArn, Subject: 'Spot interruption', Message }));
    expect(h.aws.sns.published).toEqual([expect.objectContaining({ messageId: out.MessageId, topicArn: TopicArn, subject: 'Spot interruption', message: Message })]);
  });

  it('rejects unknown topics and over-long subjects with the modeled exceptions', async () => {
    const unknown = `arn:aws:sns:${h.aws.region}:${h.aws.accountId}:missing`;
    await expect(h.sns.send(new PublishCommand({ TopicArn: unknown, Message: 'x' }))).rejects.toBeInstanceOf(NotFoundException);
    const TopicArn = h.aws.sns.addTopic('subjects');
    await expect(h.sns.send(new PublishCommand({ TopicArn, Subject: 's'.repeat(101), Message: 'x' })))
      .rejects.toBeInstanceOf(InvalidParameterException);
    expect(h.aws.sns.published.filter((p) => p.topicArn === TopicArn)).toHaveLength(0);
  });
});

describe('fake Secrets Manager through the real SDK (AWS JSON 1.1)', () => {
  it('returns a secret by name or ARN, and the latest version', async () => {
    h.aws.secretsManager.putSecret('monitoring/api-key', 'first');
    const arn = h.aws.secretsManager.putSecret('monitoring/api-key', 'second');
    for (const SecretId of ['monitoring/api-key', arn]) {
      const out = await h.secrets.send(new GetSecretValueCommand({ SecretId }));
      expect(out).toMatchObject({ ARN: arn, Name: 'monitoring/api-key', SecretString: 'second', VersionStages: ['AWSCURRENT'] });
      expect(out.CreatedDate).toBeInstanceOf(Date);
    }
  });

  it('answers an unknown secret with ResourceNotFoundException', async () => {
    await expect(h.secrets.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
