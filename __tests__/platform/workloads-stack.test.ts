import { synthPlatform } from '../support/synth';

describe('workloads stack', () => {
  const { workloads } = synthPlatform();

  it('matches its snapshot', () => {
    expect(workloads).toMatchSnapshot();
  });

  it('configures kubernetes and helm from the cluster stack outputs with a cluster-auth token', () => {
    const remote = 'data.terraform_remote_state.cross-stack-reference-input-cluster.outputs';
    for (const conn of [workloads.provider!.kubernetes[0], workloads.provider!.helm[0].kubernetes]) {
      expect(conn.host).toContain(remote);
      expect(conn.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state/);
      expect(conn.token).toBe('${data.aws_eks_cluster_auth.cluster-auth.token}');
    }
  });
});
