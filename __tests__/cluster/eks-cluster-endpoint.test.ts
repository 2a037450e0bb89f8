import { isOpenToWorld } from '../../constructs/network/cidr';
import { only } from '../support/synth';
import { synthCluster } from './support';

describe('EksCluster public endpoint', () => {
  it.each([['0.0.0.0/0'], ['::/0'], ['0.0.0.0/1'], ['128.0.0.0/1'], ['1.2.3.4/0'], ['2000::/3']])('refuses %s naming the prop and the opt-in', (cidr) => {
    expect(() => synthCluster({ publicAccessCidrs: ['203.0.113.0/24', cidr] })).toThrow(
      new RegExp(`EksClusterProps\\.publicAccessCidrs contains ${cidr.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:.*allowPublicEndpointFromAnywhere`),
    );
  });

  it('accepts named networks and keeps them on the cluster', () => {
    const eks = only(synthCluster({ publicAccessCidrs: ['203.0.113.0/24', '10.0.0.0/8'] }), 'aws_eks_cluster');
    expect(eks.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24', '10.0.0.0/8'] });
  });

  it('opens to the world only with the loudly named opt-in', () => {
    const eks = only(synthCluster({ publicAccessCidrs: ['0.0.0.0/0'], allowPublicEndpointFromAnywhere: true }), 'aws_eks_cluster');
    expect(eks.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'] });
  });

  it('treats /8 and narrower as named networks, anything wider as the world', () => {
    expect(['10.0.0.0/8', '203.0.113.7/32', '2001:db8::/16'].map(isOpenToWorld)).toEqual([false, false, false]);
    expect(['11.0.0.0/7', '2001::/15', 'not-a-cidr'].map(isOpenToWorld)).toEqual([true, true, false]);
  });
});
