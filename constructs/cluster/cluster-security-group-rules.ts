import { Construct } from 'constructs';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import type { ClusterSecurityGroupRule } from './cluster-options';

export interface ClusterSecurityGroupRulesProps {
  /** The security group EKS created for the cluster. */
  readonly securityGroupId: string;
  /** Rules by a stable name (the key becomes the resource's logical id). */
  readonly rules: Record<string, ClusterSecurityGroupRule>;
}

/** Extra rules on the cluster security group, one `aws_vpc_security_group_{ingress,egress}_rule` each. */
export class ClusterSecurityGroupRules extends Construct {
  constructor(scope: Construct, id: string, props: ClusterSecurityGroupRulesProps) {
    super(scope, id);
    for (const [key, rule] of Object.entries(props.rules)) {
      const allPorts = rule.protocol === '-1';
      const config = {
        securityGroupId: props.securityGroupId,
        description: rule.description,
        ipProtocol: rule.protocol,
        fromPort: allPorts ? undefined : rule.fromPort,
        toPort: allPorts ? undefined : rule.toPort ?? rule.fromPort,
        cidrIpv4: rule.cidrIpv4,
        cidrIpv6: rule.cidrIpv6,
        referencedSecurityGroupId: rule.securityGroupId,
        prefixListId: rule.prefixListId,
        tags: { Name: key },
      };
      if (rule.direction === 'ingress') new VpcSecurityGroupIngressRule(this, key, config);
      else new VpcSecurityGroupEgressRule(this, key, config);
    }
  }
}
