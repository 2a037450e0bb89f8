import { Token } from 'cdktf';
import { isOpenToWorld, openToWorldMessage } from '../network/cidr';
import { accessEntriesSchema, addonConfigurationSchema, fargateProfilesSchema, securityGroupRulesSchema, tagsSchema, validated } from './cluster-options-schema';
import type { EksClusterProps } from './eks-cluster-props';

/** Fails synth on a prop that would open the cluster or fail at apply, naming the prop and the fix. */
export function validateClusterProps(props: EksClusterProps): void {
  const open = (props.publicAccessCidrs ?? []).filter((c) => !Token.isUnresolved(c) && isOpenToWorld(c));
  if (open.length > 0 && props.allowPublicEndpointFromAnywhere !== true) {
    throw new Error(`EksClusterProps.publicAccessCidrs ${openToWorldMessage(open, 'set allowPublicEndpointFromAnywhere: true to accept a world-open endpoint')}`);
  }
  validated(accessEntriesSchema, 'EksClusterProps.accessEntries', props.accessEntries);
  validated(addonConfigurationSchema, 'EksClusterProps.addonConfiguration', props.addonConfiguration);
  validated(securityGroupRulesSchema, 'EksClusterProps.clusterSecurityGroupRules', props.clusterSecurityGroupRules);
  validated(fargateProfilesSchema, 'EksClusterProps.fargateProfiles', props.fargateProfiles);
  validated(tagsSchema, 'EksClusterProps.tags', props.tags);
}
