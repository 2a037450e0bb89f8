/**
 * `spotinst_ocean_aws` — the Ocean: cluster-wide defaults that launch specs inherit. Typed for the
 * arguments our `Ocean` maps onto (names exactly as the provider's schema: schema/provider-schema.json,
 * checked at synth); anything else through `addOverride`.
 */
import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import type { AutoscaleHeadroom, BlockDeviceMapping, InstanceMetadataOptions, KeyValue, OceanFilters, OceanTaint } from './blocks';
import { SpotinstResource } from './spotinst-resource';

/** The Ocean's cluster-wide headroom: spare capacity kept in units of this size (a launch spec's unit, Ocean-wide). */
export type OceanAwsAutoscaleHeadroom = AutoscaleHeadroom;

export interface OceanAwsAutoscaler {
  readonly autoscaleIsEnabled?: boolean;
  readonly autoscaleIsAutoConfig?: boolean;
  readonly autoHeadroomPercentage?: number;
  readonly autoscaleCooldown?: number;
  /** Manual headroom (the Ocean's and each launch spec's) works beside the automatic one. @default false (the provider's) */
  readonly enableAutomaticAndManualHeadroom?: boolean;
  /** Manual cluster-wide headroom (with `autoscaleIsAutoConfig` false). */
  readonly autoscaleHeadroom?: OceanAwsAutoscaleHeadroom;
  /** Whole vCPUs and whole GiB (the provider's types are integers). */
  readonly resourceLimits?: { readonly maxVcpu?: number; readonly maxMemoryGib?: number };
}

export interface OceanAwsConfig extends TerraformMetaArguments {
  readonly name: string;
  /** The controller's cluster identifier. */
  readonly controllerId: string;
  readonly region: string;
  readonly subnetIds: string[];
  readonly securityGroups: string[];
  /** Default AMI; launch specs may override. */
  readonly imageId: string;
  readonly minSize?: number;
  /** @default 1000 */
  readonly maxSize?: number;
  readonly desiredCapacity?: number;
  /** base64 user data */
  readonly userData?: string;
  readonly iamInstanceProfile?: string;
  readonly keyName?: string;
  readonly rootVolumeSize?: number;
  /** @default false */
  readonly associatePublicIpAddress?: boolean;
  /** Instance types to allow; not with `blacklist` or `filters`. */
  readonly whitelist?: string[];
  readonly blacklist?: string[];
  /** Instance-type filters; not with `whitelist` or `blacklist`. */
  readonly filters?: OceanFilters;
  readonly spotPercentage?: number;
  /** @default true */
  readonly fallbackToOndemand?: boolean;
  readonly utilizeReservedInstances?: boolean;
  readonly utilizeCommitments?: boolean;
  readonly drainingTimeout?: number;
  readonly gracePeriod?: number;
  readonly instanceMetadataOptions?: InstanceMetadataOptions;
  readonly tags?: KeyValue[];
  readonly startupTaints?: OceanTaint[];
  readonly blockDeviceMappings?: BlockDeviceMapping[];
  /** The Ocean only templates its launch specs and launches no nodes of its own. */
  readonly useAsTemplateOnly?: boolean;
  readonly autoscaler?: OceanAwsAutoscaler;
}

export class OceanAws extends SpotinstResource<OceanAwsConfig> {
  static readonly tfResourceType = 'spotinst_ocean_aws';

  constructor(scope: Construct, id: string, config: OceanAwsConfig) {
    super(scope, id, OceanAws.tfResourceType, config);
  }
}
