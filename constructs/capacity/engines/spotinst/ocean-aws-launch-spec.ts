/**
 * `spotinst_ocean_aws_launch_spec` — a light "virtual node group": only what differs from its Ocean.
 * Names exactly as the provider's schema (schema/provider-schema.json, checked at synth); anything
 * untyped through `addOverride`.
 */
import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import type { AutoscaleHeadroom, BlockDeviceMapping, InstanceMetadataOptions, KeyValue, LaunchSpecInstanceTypesFilters, OceanTaint } from './blocks';
import { SpotinstResource } from './spotinst-resource';

export interface OceanAwsLaunchSpecConfig extends TerraformMetaArguments {
  /** The Ocean's `id`. */
  readonly oceanId: string;
  readonly name?: string;
  /** Not with `images`. */
  readonly imageId?: string;
  /** base64 user data */
  readonly userData?: string;
  readonly iamInstanceProfile?: string;
  readonly securityGroups?: string[];
  readonly subnetIds?: string[];
  /** Overrides the Ocean's instance types for pods scheduled here. */
  readonly instanceTypes?: string[];
  /** Filters without `architectures`: the launch spec's image decides the architecture. */
  readonly instanceTypesFilters?: LaunchSpecInstanceTypesFilters;
  readonly preferredSpotTypes?: string[];
  readonly preferredOdTypes?: string[];
  readonly rootVolumeSize?: number;
  readonly labels?: KeyValue[];
  readonly taints?: OceanTaint[];
  readonly startupTaints?: OceanTaint[];
  readonly tags?: KeyValue[];
  readonly strategy?: {
    readonly spotPercentage?: number;
    /** seconds */
    readonly drainingTimeout?: number;
    readonly utilizeReservedInstances?: boolean;
    readonly utilizeCommitments?: boolean;
  };
  /** Spare capacity Ocean keeps for this launch spec, per unit. */
  readonly autoscaleHeadrooms?: AutoscaleHeadroom[];
  readonly resourceLimits?: { readonly minInstanceCount?: number; readonly maxInstanceCount?: number };
  readonly restrictScaleDown?: boolean;
  readonly instanceMetadataOptions?: InstanceMetadataOptions;
  readonly blockDeviceMappings?: BlockDeviceMapping[];
}

export class OceanAwsLaunchSpec extends SpotinstResource<OceanAwsLaunchSpecConfig> {
  static readonly tfResourceType = 'spotinst_ocean_aws_launch_spec';

  constructor(scope: Construct, id: string, config: OceanAwsLaunchSpecConfig) {
    super(scope, id, OceanAwsLaunchSpec.tfResourceType, config);
  }
}
