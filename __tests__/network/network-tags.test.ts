import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Network, NetworkProps } from '../../constructs/network/network';
import { synthJson } from '../support/synth';

function synthNetwork(props: Partial<NetworkProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new Network(stack, 'network', { clusterName: 'c1', azCount: 2, ...props });
  return synthJson(stack);
}

describe('Network tags', () => {
  it('tags every taggable resource and keeps their own Name and discovery tags', () => {
    const tf = synthNetwork({ tags: { team: 'platform', Name: 'ignored-where-set' } });
    const subnets = Object.values(tf.resource!.aws_subnet);
    for (const s of subnets) expect(s.tags).toMatchObject({ team: 'platform', Name: expect.stringMatching(/^c1-(public|private)-\d$/), 'kubernetes.io/cluster/c1': 'shared' });
    for (const type of ['aws_vpc', 'aws_nat_gateway', 'aws_eip', 'aws_route_table', 'aws_flow_log', 'aws_cloudwatch_log_group', 'aws_iam_role', 'aws_internet_gateway']) {
      for (const r of Object.values(tf.resource![type])) expect(r.tags).toMatchObject({ team: 'platform' });
    }
    expect(Object.values(tf.resource!.aws_flow_log)[0].tags).toEqual({ team: 'platform', Name: 'ignored-where-set' }); // had no tags of its own
  });

  it('rejects a reserved tag key naming the prop', () => {
    expect(() => synthNetwork({ tags: { 'aws:cost': 'x' } })).toThrow(/NetworkProps\.tags\.aws:cost: .*reserved by AWS/);
  });
});
