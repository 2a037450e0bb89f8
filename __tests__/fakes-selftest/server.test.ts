import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startFakeAws, buildCluster } from '../fakes/aws';
import { startHarness } from './harness';

describe('startFakeAws', () => {
  it('exports the endpoint variables the SDK reads, all bound to 127.0.0.1', async () => {
    const aws = await startFakeAws({ region: 'eu-west-1' });
    try {
      expect(Object.keys(aws.env).sort()).toEqual([
        'AWS_ACCESS_KEY_ID', 'AWS_DEFAULT_REGION',
        'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2',
        'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL_SNS', 'AWS_ENDPOINT_URL_SQS',
        'AWS_REGION', 'AWS_SECRET_ACCESS_KEY',
      ]);
      for (const [k, v] of Object.entries(aws.env)) if (k.startsWith('AWS_ENDPOINT_URL_')) expect(v).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(new Set(Object.values(aws.endpoints)).size).toBe(6);
      expect(aws.env['AWS_REGION']).toBe('eu-west-1');
    } finally {
      await aws.close();
    }
  });

  it('logs each call with service, action, time and input', async () => {
    const h = await startHarness({ clock: () => 1_700_000_000_000 });
    try {
      const cluster = buildCluster(h.aws);
      await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [cluster.stranger.id] }));
      await h.elbv2.send(new DescribeTargetGroupsCommand({ Names: ['k8s-ip-1'] }));
      expect(h.aws.calls).toEqual([
        { service: 'ec2', action: 'DescribeInstances', time: 1_700_000_000_000, input: { 'InstanceId.1': cluster.stranger.id } },
        { service: 'elbv2', action: 'DescribeTargetGroups', time: 1_700_000_000_000, input: { 'Names.member.1': 'k8s-ip-1' } },
      ]);
      expect(h.aws.callsTo('ec2')).toHaveLength(1);
      expect(cluster.stranger.tags).not.toHaveProperty(cluster.clusterTag.key);
    } finally {
      await h.close();
    }
  });

  it('refuses requests signed with other credentials or for another region', async () => {
    const aws = await startFakeAws();
    const wrongKey = new EC2Client({
      endpoint: aws.endpoints.ec2, region: aws.region, maxAttempts: 1,
      credentials: { accessKeyId: 'AKIAOTHERKEY', secretAccessKey: aws.env['AWS_SECRET_ACCESS_KEY']! },
    });
    const wrongRegion = new ElasticLoadBalancingV2Client({
      endpoint: aws.endpoints.elbv2, region: 'ap-south-1', maxAttempts: 1,
      credentials: { accessKeyId: aws.env['AWS_ACCESS_KEY_ID']!, secretAccessKey: aws.env['AWS_SECRET_ACCESS_KEY']! },
    });
    try {
      await expect(wrongKey.send(new DescribeInstancesCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
      await expect(wrongRegion.send(new DescribeTargetGroupsCommand({}))).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch', message: expect.stringContaining('ap-south-1'),
      });
    } finally {
      wrongKey.destroy();
      wrongRegion.destroy();
      await aws.close();
    }
  });

  it('names an action the fake does not implement, and stops listening on close', async () => {
    const h = await startHarness();
    const { ec2 } = h.clients({ maxAttempts: 1 });
    const { DescribeVpcsCommand } = await import('@aws-sdk/client-ec2');
    await expect(ec2.send(new DescribeVpcsCommand({}))).rejects.toMatchObject({
      name: 'InvalidAction', message: expect.stringContaining('DescribeVpcs'),
    });
    const url = h.aws.endpoints.ec2;
    await h.close();
    await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
  });
});
