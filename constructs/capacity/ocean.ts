/**
 * Ocean-style capacity: ONE cluster-wide defaults object and light launch specs that inherit every
 * default they do not override, rendered by one of three engines.
 *
 * ```ts
 * const ocean = new Ocean(clusterStack, 'capacity', {
 *   cluster, region: 'eu-west-1', engine: 'karpenter',
 *   workloadsScope: workloadsStack,            // Helm releases and manifests go here
 *   defaults: { instanceSelection: { requirements: { vcpu: { min: 2, max: 16 }, categories: ['c', 'm', 'r'] } } },
 * });
 * ocean.addLaunchSpec({ name: 'gpu', labels: { processor: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
 *   instanceSelection: { instanceTypes: ['g5.xlarge'] } });
 * ```
 *
 * Two stacks: the AWS (and Spot) resources live under the Ocean, in the stack of `scope` — the
 * cluster stack with the AWS provider. Kubernetes manifests and Helm releases go under
 * `workloadsScope` — the workloads stack whose kubernetes/helm providers are configured from the
 * cluster — or, without it, under the Ocean too (one stack holding every provider). Cross-stack
 * values (queue name, role name, subnet ids) become stack outputs automatically.
 *
 * A pod selects a launch spec with `nodeSelector` on the spec's labels. Spot is the default: a pod
 * that asks for nothing gets spot under every engine, and asks for on-demand with
 * {@link Ocean.onDemandNodeSelector}, `node-lifecycle: on-demand` (see `lifecycle.ts`).
 */
import { Construct } from 'constructs';
import type { IEksCluster } from '../cluster/cluster-reference';
import { KarpenterCapacity, type KarpenterOptions } from './engines/karpenter/karpenter-capacity';
import { SpotinstCapacity, type SpotinstOptions } from './engines/spotinst/spotinst-capacity';
import type { LaunchSpec } from './launch-spec';
import { AsgCapacity, type AsgOptions } from './ocean-asg';
import { completeDefaults, resolveLaunchSpec, type OceanDefaults, type ResolvedDefaults, type ResolvedLaunchSpec } from './ocean-defaults';
import { OCEAN_ENGINES, type InterruptionDrainer, type OceanEngine, type OceanEngineName, type OceanEngineProps } from './ocean-engine';
import { validateLaunchSpec } from './validate-launch-spec';
import { LAUNCH_SPEC_SHAPE, OCEAN_DEFAULTS_SHAPE, unknownFieldProblems, type KeysOf } from './launch-spec-keys';

export interface OceanProps {
  /** The cluster the nodes join. */
  readonly cluster: IEksCluster;
  /** The AWS region of the cluster. */
  readonly region: string;
  /** Which engine renders the defaults and launch specs. */
  readonly engine: OceanEngineName;
  /** What every launch spec inherits. @default - see {@link OceanDefaults} */
  readonly defaults?: OceanDefaults;
  /** Launch specs to add now; more with {@link Ocean.addLaunchSpec}. @default [] */
  readonly launchSpecs?: LaunchSpec[];
  /** Where Kubernetes manifests and Helm releases go (the workloads stack). @default - under this Ocean, in its stack */
  readonly workloadsScope?: Construct;
  /** Options of the karpenter engine. @default - see {@link KarpenterOptions} */
  readonly karpenter?: KarpenterOptions;
  /** Options of the asg engine. @default - see {@link AsgOptions} */
  readonly asg?: AsgOptions;
  /** Options of the spotinst engine; required with `engine: 'spotinst'`. */
  readonly spotinst?: SpotinstOptions;
}

/** The Ocean's own props, checked at runtime for misspelt fields; engine options are checked by their engines. */
const OCEAN_PROPS_SHAPE = {
  cluster: true, region: true, engine: true, defaults: OCEAN_DEFAULTS_SHAPE, launchSpecs: [LAUNCH_SPEC_SHAPE],
  workloadsScope: true, karpenter: true, asg: true, spotinst: true,
} as const satisfies KeysOf<OceanProps>;

export class Ocean extends Construct {
  readonly engineName: OceanEngineName;
  readonly defaults: ResolvedDefaults;
  /** The engine's constructs (KarpenterCapacity, SpotinstCapacity or AsgCapacity). */
  readonly engine: OceanEngine & Construct;
  /** The node selector a pod uses to ask for on-demand capacity with this engine. */
  readonly onDemandNodeSelector: Readonly<Record<string, string>>;
  /**
   * Who drains a node on an interruption notice under this engine: Karpenter (its interruption
   * queue) or the Ocean controller, else node-manager. node-manager should only cordon and report
   * when it is not the drainer, so two evictors never race on the same PDBs.
   */
  readonly interruptionDrainer: InterruptionDrainer;
  private readonly specs = new Map<string, ResolvedLaunchSpec>();

  constructor(scope: Construct, id: string, props: OceanProps) {
    super(scope, id);
    if (!(OCEAN_ENGINES as readonly string[]).includes(props.engine)) {
      throw new Error(`engine: '${props.engine}' is not an engine. Fix: use one of ${OCEAN_ENGINES.join(', ')}.`);
    }
    const unknown = unknownFieldProblems(props, OCEAN_PROPS_SHAPE, 'props');
    if (unknown.length > 0) throw new Error(`Invalid Ocean props:\n  - ${unknown.join('\n  - ')}`);
    const defaults = props.defaults ?? {};
    // The defaults share the launch-spec fields, so the launch-spec validation checks them too.
    validateLaunchSpec(
      {
        name: 'defaults', amiFamily: defaults.amiFamily, architecture: defaults.architecture, instanceSelection: defaults.instanceSelection, rootVolume: defaults.rootVolume,
        subnetIds: defaults.subnetIds, securityGroupIds: defaults.securityGroupIds, tags: defaults.tags, headroom: defaults.headroom, kubelet: defaults.kubelet,
        extraBlockDevices: defaults.extraBlockDevices, disruption: defaults.disruption,
      },
      'defaults',
    );
    this.engineName = props.engine;
    this.defaults = completeDefaults(defaults, props.cluster);
    const engineProps: OceanEngineProps = {
      cluster: props.cluster,
      region: props.region,
      defaults: this.defaults,
      kubernetesScope: props.workloadsScope ? new Construct(props.workloadsScope, id) : new Construct(this, 'kubernetes'),
    };
    this.engine = createEngine(this, props, engineProps);
    this.onDemandNodeSelector = this.engine.onDemandNodeSelector;
    this.interruptionDrainer = this.engine.interruptionDrainer ?? 'node-manager';
    (props.launchSpecs ?? []).forEach((spec) => this.addLaunchSpec(spec));
  }

  /** Adds a launch spec that inherits every default it does not set; returns the resolved spec. */
  addLaunchSpec(spec: LaunchSpec): ResolvedLaunchSpec {
    const path = `launchSpecs['${spec?.name}']`;
    validateLaunchSpec(spec, path);
    if (this.specs.has(spec.name)) {
      throw new Error(`${path}.name: '${spec.name}' is already a launch spec of this Ocean. Fix: give every launch spec a unique name.`);
    }
    const resolved = resolveLaunchSpec(this.defaults, spec);
    this.engine.addLaunchSpec(resolved);
    this.specs.set(spec.name, resolved);
    return resolved;
  }

  /** The resolved launch specs, in the order they were added. */
  get launchSpecs(): ResolvedLaunchSpec[] {
    return [...this.specs.values()];
  }
}

function createEngine(scope: Ocean, props: OceanProps, engineProps: OceanEngineProps): OceanEngine & Construct {
  switch (props.engine) {
    case 'karpenter':
      return new KarpenterCapacity(scope, 'karpenter', { ...engineProps, options: props.karpenter });
    case 'spotinst':
      if (!props.spotinst) {
        throw new Error("spotinst: required with engine 'spotinst'. Fix: give { spotinst: { account: 'act-…' } } (the token comes from TF_VAR_spotinst_token).");
      }
      return new SpotinstCapacity(scope, 'spotinst', { ...engineProps, options: props.spotinst });
    case 'asg':
      return new AsgCapacity(scope, 'asg', { ...engineProps, options: props.asg });
  }
}
