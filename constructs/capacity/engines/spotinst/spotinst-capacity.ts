/**
 * The `spotinst` engine (Spot Ocean). Spot side (in the Ocean's scope, the cluster stack): the
 * provider, one `spotinst_ocean_aws` from the defaults (template only: nodes come from launch
 * specs) and one `spotinst_ocean_aws_launch_spec` per launch spec. Kubernetes side (the kubernetes
 * scope, the workloads stack): the Ocean controller Helm release with the same cluster identifier.
 *
 * A pod asks for a launch spec with `nodeSelector` on the spec's labels, and for on-demand with
 * `nodeSelector: { node-lifecycle: on-demand }`: a spec that allows on-demand renders a spot launch
 * spec (spot_percentage 100, `node-lifecycle: spot`) and an on-demand twin `<name>-od`
 * (spot_percentage 0, `node-lifecycle: on-demand`); every on-demand launch spec has a soft
 * PreferNoSchedule taint that keeps pods without that selector on spot. The API token comes from the sensitive Terraform variable
 * `spotinst_token` in both stacks (set `TF_VAR_spotinst_token`); it is never in code.
 */
import { TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { Release } from '@cdktf/provider-helm/lib/release';
import { stringify } from 'yaml';
import { eksOptimizedAmiId } from '../../ami';
import { CRITICAL_ADDONS_TOLERATION, DEFAULT_AMI_VERSIONS, ON_DEMAND_NODE_SELECTOR, type LaunchSpec } from '../../launch-spec';
import { fieldOrigin, type ResolvedLaunchSpec } from '../../ocean-defaults';
import type { OceanEngine, OceanEngineProps } from '../../ocean-engine';
import { nodeLabels, renderUserData } from '../../user-data';
import {
  blockDevices,
  durationSeconds,
  headroomUnit,
  headrooms,
  keyValues,
  launchSpecSelection,
  metadataOptions,
  nodeTags,
  ON_DEMAND_TAINT,
  oceanSelection,
  oceanTaints,
  oceanVariants,
  type OceanVariant,
} from './mapping';
import { OceanAws } from './ocean-aws';
import { OceanAwsLaunchSpec, type OceanAwsLaunchSpecConfig } from './ocean-aws-launch-spec';
import { SpotinstProvider } from './provider';
import { checkSpotinstSupport } from './support';

/** Verified release of the chart in spotinst/charts. */
export const OCEAN_CONTROLLER_CHART_VERSION = '0.1.45';

/**
 * The Ocean controller's tolerations: the chart's defaults for an unready or unreachable node
 * (evicted after 150 s, not the 300 s default) and the system nodes' taint.
 */
export const OCEAN_CONTROLLER_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 150 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 150 },
  CRITICAL_ADDONS_TOLERATION,
] as const;

export interface SpotinstOptions {
  /** Spot account id (`act-…`); not a secret. */
  readonly account: string;
  /** Terraform variable (sensitive) holding the Spot API token; set `TF_VAR_<name>`. @default 'spotinst_token' */
  readonly tokenVariable?: string;
  /** ocean-kubernetes-controller chart version. @default OCEAN_CONTROLLER_CHART_VERSION */
  readonly chartVersion?: string;
}

export interface SpotinstCapacityProps extends OceanEngineProps {
  readonly options: SpotinstOptions;
}

/** One sensitive token variable per stack, shared by everything in it that needs the token. */
function tokenVariable(scope: Construct, name: string): TerraformVariable {
  const stack = TerraformStack.of(scope);
  const id = `spotinst-token-${name}`;
  const existing = stack.node.tryFindChild(id);
  if (existing) return existing as TerraformVariable;
  const variable = new TerraformVariable(stack, id, { type: 'string', sensitive: true, nullable: false, description: 'Spot by NetApp API token (set TF_VAR_' + name + ')' });
  variable.overrideLogicalId(name);
  return variable;
}

export class SpotinstCapacity extends Construct implements OceanEngine {
  readonly onDemandNodeSelector = ON_DEMAND_NODE_SELECTOR;
  readonly ocean: OceanAws;
  readonly controller: Release;
  private readonly props: SpotinstCapacityProps;
  private readonly amis = new Map<string, string>();

  constructor(scope: Construct, id: string, props: SpotinstCapacityProps) {
    super(scope, id);
    if (!props.options?.account) {
      throw new Error("spotinst.account: required by the 'spotinst' engine. Fix: give the Spot account id, e.g. { account: 'act-12345678' }.");
    }
    this.props = props;
    const { cluster, defaults, options } = props;
    const tokenName = options.tokenVariable ?? 'spotinst_token';
    const provider = new SpotinstProvider(this, 'provider', { token: tokenVariable(this, tokenName).stringValue, account: options.account });
    // defaults.limits cap the whole Ocean (autoscaler.resource_limits), so only the rest is checked.
    checkSpotinstSupport({ ...defaults, limits: undefined }, (field) => `defaults.${field}`);
    const defaultSpec: LaunchSpec = { name: 'defaults', amiFamily: defaults.amiFamily, architecture: defaults.architecture, instanceSelection: defaults.instanceSelection, kubelet: defaults.kubelet };

    this.ocean = new OceanAws(this, 'ocean', {
      provider,
      name: cluster.clusterName,
      controllerId: cluster.clusterName,
      region: props.region,
      subnetIds: defaults.subnetIds,
      securityGroups: defaults.securityGroupIds,
      imageId: this.amiFor(defaultSpec),
      userData: renderUserData(defaultSpec, cluster, 'spot'),
      iamInstanceProfile: defaults.nodeRole.instanceProfileArn,
      ...oceanSelection(defaults),
      fallbackToOndemand: defaults.fallbackToOnDemand,
      instanceMetadataOptions: metadataOptions(defaults.metadataHopLimit),
      blockDeviceMappings: blockDevices(defaults.amiFamily.kind, defaults.rootVolume, defaults.extraBlockDevices),
      tags: nodeTags(cluster.clusterTagKey, defaults.tags),
      useAsTemplateOnly: true,
      autoscaler: {
        autoscaleIsEnabled: true,
        autoscaleIsAutoConfig: true,
        // Without this, automatic headroom overrides every manual one (the Ocean's and each launch spec's).
        enableAutomaticAndManualHeadroom: true,
        autoscaleHeadroom: defaults.headroom ? headroomUnit(defaults.headroom) : undefined,
        ...(defaults.limits.maxVcpu !== undefined || defaults.limits.maxMemoryGiB !== undefined
          ? { resourceLimits: { maxVcpu: defaults.limits.maxVcpu, maxMemoryGib: defaults.limits.maxMemoryGiB } }
          : {}),
      },
    });

    this.controller = new Release(props.kubernetesScope, 'ocean-controller', {
      name: 'ocean-kubernetes-controller',
      namespace: 'kube-system',
      repository: 'https://charts.spot.io',
      chart: 'ocean-kubernetes-controller',
      version: options.chartVersion ?? OCEAN_CONTROLLER_CHART_VERSION,
      set: [
        { name: 'spotinst.account', value: options.account },
        { name: 'spotinst.clusterIdentifier', value: cluster.clusterName },
      ],
      setSensitive: [{ name: 'spotinst.token', value: tokenVariable(props.kubernetesScope, tokenName).stringValue }],
      // Setting tolerations replaces the chart's defaults, so they are restated: the controller
      // must start on the system nodes (tainted CriticalAddonsOnly) before Ocean has any node.
      values: [stringify({ tolerations: OCEAN_CONTROLLER_TOLERATIONS }, { lineWidth: 0 })],
    });
  }

  /** One AMI lookup per (family, release, architecture, GPU) — not one per launch spec. */
  private amiFor(spec: LaunchSpec): string {
    const family = spec.amiFamily ?? { kind: 'al2023' };
    if (family.kind === 'custom') return this.customAmi(spec, family.amiId);
    const gpu = (spec.instanceSelection?.requirements?.gpus?.min ?? 0) > 0 ? 'nvidia' : 'standard';
    const version = family.version ?? DEFAULT_AMI_VERSIONS[family.kind];
    const key = `${family.kind}-${version}-${spec.architecture ?? 'x86_64'}-${gpu}`;
    let id = this.amis.get(key);
    if (id === undefined) {
      id = eksOptimizedAmiId(this, `ami-${key}`, spec, this.props.cluster.kubernetesVersion);
      this.amis.set(key, id);
    }
    return id;
  }

  /**
   * A custom AMI is used as given, and checked at plan: a launch spec's architecture is its
   * image's (Ocean picks instance types for it), so an image of another architecture than the
   * spec asks for fails the plan, naming the spec, instead of launching nothing.
   */
  private customAmi(spec: LaunchSpec, amiId: string): string {
    const architecture = spec.architecture ?? 'x86_64';
    const key = `custom-${architecture}-${amiId}`;
    if (!this.amis.has(key)) {
      const field = spec.name === 'defaults' ? 'defaults.amiFamily.amiId' : `launchSpecs['${spec.name}'].amiFamily.amiId`;
      new DataAwsAmi(this, `custom-ami-${this.amis.size}`, {
        filter: [{ name: 'image-id', values: [amiId] }],
        includeDeprecated: true,
        lifecycle: {
          postcondition: [
            {
              condition: `\${self.architecture == "${architecture}"}`,
              errorMessage: `${field}: the image is not ${architecture}, the architecture this launch spec asks for. Fix: give an ${architecture} image, or set architecture to the image's.`,
            },
          ],
        },
      });
      this.amis.set(key, amiId);
    }
    return amiId;
  }

  addLaunchSpec(spec: ResolvedLaunchSpec): void {
    const own = (field: keyof LaunchSpec) => spec.overrides.has(field);
    // weight and limits always resolve to a value; only the spec's own are its choice.
    checkSpotinstSupport({ ...spec, weight: own('weight') ? spec.weight : undefined, limits: own('limits') ? spec.limits : undefined }, (field) => fieldOrigin(spec, field));
    // Instance types inherit from the Ocean unless the spec changes the selection or architecture
    // (the Ocean's filters name the defaults' architecture, so another architecture needs its own).
    const picked = own('instanceSelection') || own('architecture') ? launchSpecSelection(spec) : {};
    for (const variant of oceanVariants(spec, this.props.defaults.fallbackToOnDemand)) {
      // Every on-demand launch spec softly repels pods that do not ask for on-demand.
      const taints = variant.lifecycle === 'on-demand' ? [...spec.taints, ON_DEMAND_TAINT] : spec.taints;
      // The twin starts empty and keeps no headroom: it launches only for pods that select on-demand.
      const twin = variant.onDemandTwin ? { headroom: undefined, minSize: 0 } : {};
      this.launchSpec({ ...spec, name: variant.name, taints, ...twin }, variant, picked);
    }
  }

  private launchSpec(spec: ResolvedLaunchSpec, variant: OceanVariant, picked: { types?: string[]; filters?: OceanAwsLaunchSpecConfig['instanceTypesFilters'] } = {}): void {
    const { cluster } = this.props;
    const own = (field: keyof LaunchSpec) => spec.overrides.has(field);
    const grace = spec.disruption?.terminationGracePeriod;
    new OceanAwsLaunchSpec(this, `launch-spec-${spec.name}`, {
      provider: this.ocean.provider,
      oceanId: this.ocean.id,
      name: spec.name,
      imageId: this.amiFor(spec),
      userData: renderUserData(spec, cluster, variant.lifecycle),
      iamInstanceProfile: spec.instanceProfile,
      subnetIds: own('subnetIds') ? spec.subnetIds : undefined,
      securityGroups: own('securityGroupIds') ? spec.securityGroupIds : undefined,
      instanceTypes: picked.types,
      instanceTypesFilters: picked.filters,
      labels: keyValues(nodeLabels(spec, variant.lifecycle)),
      taints: spec.taints.length > 0 ? oceanTaints(spec.taints) : undefined,
      startupTaints: spec.startupTaints.length > 0 ? oceanTaints(spec.startupTaints) : undefined,
      tags: nodeTags(cluster.clusterTagKey, spec.tags),
      // A draining node waits for its pods at most this long, then Ocean terminates it.
      strategy: { spotPercentage: variant.spotPercentage, drainingTimeout: grace === undefined ? undefined : durationSeconds(grace) },
      autoscaleHeadrooms: headrooms(spec.headroom),
      resourceLimits: { minInstanceCount: spec.minSize, maxInstanceCount: spec.maxSize },
      instanceMetadataOptions: metadataOptions(spec.metadataHopLimit),
      blockDeviceMappings: blockDevices(spec.amiFamily.kind, spec.rootVolume, spec.extraBlockDevices),
    });
  }
}

