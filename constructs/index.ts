/**
 * spot-ready-eks: the public entry point. Everything a consumer's stack needs — constructs, their
 * props, the launch-spec model, the daemon↔Lambda notice contract and the policy suite — and
 * nothing internal. (The folder `index.ts` files are for reading; this file is the API.)
 */

// The default platform and its config
export { Platform, type PlatformOptions } from './platform/platform';
export { ClusterStack } from './platform/cluster-stack';
export { WorkloadsStack, connectToCluster, type WorkloadsStackDeps, type PlatformNodeManagerOptions } from './platform/workloads-stack';
export { CrdsStack } from './platform/crds-stack';
export { runApp, checkContextKeys, formatHcl, AppSettingsError } from './platform/run-app';
export { readCdktfContext, contextArguments, type CdktfContext, type ReadContextOptions } from './platform/cdktf-context';
export { KUBERNETES_VERSIONS, DEFAULT_KUBERNETES_VERSION, LOG_RETENTION_DAYS, AWS_REGIONS, DATADOG_API_HOSTS, kubernetesSupport, type KubernetesVersionSupport, type KubernetesSupportStatus } from './platform/aws-values';
export { loadPlatformConfig, validatePlatformConfig, envVarName, PlatformConfigError, platformConfigSchema, type PlatformConfig, type PlatformConfigInput, type PlatformConfigLoadOptions } from './platform/config';
export { PLATFORM_DEFAULTS, PLATFORM_LAUNCH_SPECS, SYSTEM_NODES, systemNodes, platformSystemNodes, type PlatformCapacityOptions, type SystemNodesOptions } from './platform/capacity';

// Network and cluster
export { Network, type NetworkProps, type INetwork } from './network/network';
export { EksCluster, type EksClusterProps, CONTROL_PLANE_LOG_TYPES } from './cluster/eks-cluster';
export { ClusterKey, type ClusterKeyProps } from './cluster/cluster-key';
export type { AccessEntryOptions, AccessPolicyOptions, AddonConfiguration, AddonPodIdentity, ClusterSecurityGroupRule, FargateProfileOptions, FargateSelector } from './cluster/cluster-options';
export { EKS_ACCESS_POLICIES } from './cluster/cluster-options-schema';
export { isOpenToWorld } from './network/cidr';
export type { ClusterAttributes, ClusterLookupProps } from './cluster/import-cluster';
export { clusterTagKey, type IEksCluster, type INodeRole } from './cluster/cluster-reference';
export type { IGrantableRole } from './iam/grantable';
export type { PolicyStatement } from './iam/policy';

// Capacity: the launch-spec model, Ocean-style defaults, and the engines
export * from './capacity/launch-spec';
export { validateLaunchSpec, validateLaunchSpecs } from './capacity/validate-launch-spec';
export { Ocean, type OceanProps } from './capacity/ocean';
export type { OceanDefaults, OceanLimits, ResolvedDefaults, ResolvedLaunchSpec } from './capacity/ocean-defaults';
export { OCEAN_ENGINES, type OceanEngineName, type OceanEngine, type OceanEngineProps, type InterruptionDrainer } from './capacity/ocean-engine';
export { capacityVariants, lifecycleOf, ON_DEMAND_SUFFIX, type CapacityVariant } from './capacity/lifecycle';
export { HeadroomPlaceholders, type HeadroomTarget, HEADROOM_NAMESPACE, HEADROOM_PRIORITY, HEADROOM_PRIORITY_CLASS } from './capacity/headroom';
export { AsgCapacity, type AsgOptions, type AsgCapacityProps, EXPANDER_PRIORITY } from './capacity/ocean-asg';
export { ManagedNodeGroup, type ManagedNodeGroupProps, managedAmiType } from './capacity/managed/managed-node-group';
export { SpotNodeGroup, type SpotNodeGroupProps, TERMINATION_HOOK_NAME } from './capacity/engines/asg/spot-node-group';
export type { OnDemandAllocationStrategy } from './capacity/engines/asg/instance-selection';
export { ClusterAutoscaler, ClusterAutoscalerRole, type ClusterAutoscalerProps, type ClusterAutoscalerRoleProps } from './capacity/engines/asg/cluster-autoscaler';
export { KarpenterCapacity, type KarpenterOptions, type KarpenterCapacityProps } from './capacity/engines/karpenter/karpenter-capacity';
export { InterruptionQueue, type InterruptionQueueProps } from './capacity/engines/karpenter/interruption-queue';
export { SpotinstCapacity, type SpotinstOptions, type SpotinstCapacityProps } from './capacity/engines/spotinst/spotinst-capacity';
export { SpotinstProvider, type SpotinstProviderConfig } from './capacity/engines/spotinst/provider';
export { SpotinstResource } from './capacity/engines/spotinst/spotinst-resource';
export { OceanAws, type OceanAwsConfig, type OceanAwsAutoscaler, type OceanAwsAutoscaleHeadroom } from './capacity/engines/spotinst/ocean-aws';
export type { AutoscaleHeadroom, BlockDeviceMapping, InstanceMetadataOptions, InstanceTypeFilterFields, KeyValue, LaunchSpecInstanceTypesFilters, OceanFilters, OceanTaint } from './capacity/engines/spotinst/blocks';
export { OceanAwsLaunchSpec, type OceanAwsLaunchSpecConfig } from './capacity/engines/spotinst/ocean-aws-launch-spec';

// The interruption pipeline and what operates it
export { TerminationHandler, type TerminationHandlerProps, type MonitoringOptions, HANDLED_EVENT_KINDS, type HandledEventKind } from './interruption/termination-handler';
export { NodeManager, type NodeManagerProps, type ITerminationHandler } from './interruption/node-manager';
export { type NodeManagerKnobs, type NodeManagerWebhook, type TaintEffect, TAINT_EFFECTS } from './interruption/node-manager-options';
export { type NodeManagerResources } from './interruption/node-manager-pod';
export { NodeManagerAdmission, type NodeManagerAdmissionProps, type OwnNodePolicyOptions, ADMISSION_POLICY_MIN_KUBERNETES } from './interruption/node-manager-admission';
export { NodeManagerRepository, type NodeManagerRepositoryProps } from './interruption/node-manager-repository';
export { NodeManagerImageBuild, type NodeManagerImageBuildProps } from './interruption/node-manager-image-build';
export { InterruptionOperations, type InterruptionOperationsProps } from './interruption/operations/operations';
export { InterruptionAlarms, type InterruptionAlarmsProps } from './interruption/operations/alarms';
export { InterruptionDashboard, type InterruptionDashboardProps } from './interruption/operations/dashboard';
export { InterruptionDrill, type InterruptionDrillProps, type InterruptionDrillOptions, SPOT_INTERRUPTION_ACTION } from './interruption/operations/drill';
export type { TerminationHandlerReference } from './interruption/operations/handler-reference';

// The notice node-manager sends and the termination handler accepts
export * from '../contract/interruption-notice';

// The security policy suite, for checking any synthesized stack
export { checkStack, RULES, type Rule, type Violation } from '../policy/rules';
export type { TfJson, TfBlock } from '../policy/terraform-json';
