import { encodeError, encodeSuccess, FakeAwsError } from '../fakes/aws/protocol';
import { FakeDynamoDb } from '../fakes/aws/dynamodb';
import { FakeSqs } from '../fakes/aws/sqs';
import { FakeEc2 } from '../fakes/aws/ec2';
import { FakeElbv2 } from '../fakes/aws/elbv2';

// The SDK only reads the part after '#' and ignores XML namespaces, so these pin what AWS itself sends.
describe('wire shapes', () => {
  it('writes DynamoDB errors with the full namespaced __type', () => {
    const r = encodeError(new FakeDynamoDb().format, new FakeAwsError('ConditionalCheckFailedException', 'The conditional request failed'), 'r1');
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(r.body)).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
      message: 'The conditional request failed',
    });
  });

  it('adds the legacy query error code header for SQS', () => {
    const sqs = new FakeSqs('us-east-1', '123456789012', Date.now, () => 'http://127.0.0.1:1');
    const r = encodeError(sqs.format, new FakeAwsError('QueueDoesNotExist', 'gone', 400, { queryCode: 'AWS.SimpleQueueService.NonExistentQueue' }), 'r2');
    expect(r.headers['x-amzn-query-error']).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(JSON.parse(r.body).__type).toBe('com.amazonaws.sqs#QueueDoesNotExist');
  });

  it('wraps EC2 and awsQuery bodies the way each protocol does', () => {
    const ec2 = new FakeEc2('123456789012').format;
    const elb = new FakeElbv2('us-east-1', '123456789012', Date.now).format;
    expect(encodeError(ec2, new FakeAwsError('RequestLimitExceeded', 'slow down', 503), 'r3').body)
      .toContain('<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow down</Message></Error></Errors><RequestID>r3</RequestID></Response>');
    expect(encodeError(elb, new FakeAwsError('Throttling', 'Rate exceeded'), 'r4').body)
      .toContain('<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r4</RequestId>');
    expect(encodeSuccess(elb, 'DeregisterTargets', '', 'r5').body)
      .toContain('<DeregisterTargetsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DeregisterTargetsResult></DeregisterTargetsResult>');
  });
});
