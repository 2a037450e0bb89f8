import { Construct } from 'constructs';
import { Fn, Op, TerraformSelf } from 'cdktf';
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';

/**
 * What synth cannot know about existing subnets, checked when Terraform reads them (before it
 * plans the cluster): each subnet is in the given VPC, and together they span at least two
 * availability zones, as EKS requires. A failure names the config field.
 */
export function checkExistingSubnets(scope: Construct, vpcId: string, subnetIds: string[]): void {
  const zones: string[] = [];
  subnetIds.forEach((id, i) => {
    const last = i === subnetIds.length - 1;
    const postcondition = [{ condition: Op.eq(TerraformSelf.getString('vpc_id'), vpcId), errorMessage: `existingPrivateSubnetIds: ${id} is not in existingVpcId ${vpcId}.` }];
    if (last) {
      // The last one compares its own zone (self) with the zones of the others.
      const distinctZones = Fn.lengthOf(Fn.distinct([...zones, TerraformSelf.getString('availability_zone')]));
      postcondition.push({ condition: Op.gte(distinctZones, 2), errorMessage: 'existingPrivateSubnetIds: the subnets must span at least two availability zones (EKS needs two); add a subnet in another AZ.' });
    }
    const subnet = new DataAwsSubnet(scope, `existing-subnet-${i}`, { id, lifecycle: { postcondition } });
    zones.push(subnet.availabilityZone);
  });
}
