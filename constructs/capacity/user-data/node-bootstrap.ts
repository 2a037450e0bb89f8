/** What a node needs to join the cluster. Values may be cdktf tokens. */
export interface NodeBootstrap {
  clusterName: string;
  endpoint: string;
  certificateAuthorityData: string;
  serviceIpv4Cidr: string;
}
