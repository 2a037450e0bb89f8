/**
 * What a Karpenter NodePool/EC2NodeClass cannot express, checked before rendering so the error
 * names the field and the engine instead of failing at apply time.
 */
import { fieldOrigin, type ResolvedLaunchSpec } from '../../ocean-defaults';
import { unsupported } from '../../ocean-engine';

/** Tag keys Karpenter sets itself and its CRD rejects. */
const RESERVED_TAG = /^(kubernetes\.io\/cluster\/|karpenter\.sh\/(nodepool|nodeclaim|managed-by)$|karpenter\.k8s\.aws\/ec2nodeclass$|eks:eks-cluster-name$)/;
/** Label domains Karpenter reserves for its own well-known labels. */
const RESERVED_LABEL = /^([a-z0-9.-]*\.)?(karpenter\.sh|karpenter\.k8s\.aws)\//;

export function checkKarpenterSupport(spec: ResolvedLaunchSpec): void {
  const capacity = spec.capacity;
  if (capacity.type === 'spot-with-fallback' && ((capacity.onDemandBase ?? 0) > 0 || (capacity.onDemandPercentageAboveBase ?? 0) > 0)) {
    unsupported(
      'karpenter',
      fieldOrigin(spec, 'capacity', 'spotPercentage'),
      'Karpenter picks spot first and falls back to on-demand; it keeps no on-demand base or share',
      'use spotPercentage 100 with fallback (pods that need on-demand ask with nodeSelector node-lifecycle: on-demand), or a separate on-demand launch spec',
    );
  }
  if (spec.overrides.has('minSize') && spec.minSize > 0) {
    unsupported('karpenter', `launchSpecs['${spec.name}'].minSize`, 'Karpenter launches nodes for pending pods only and keeps no minimum', 'remove minSize (run a placeholder Deployment if you need warm capacity)');
  }
  if (spec.overrides.has('maxSize')) {
    unsupported('karpenter', `launchSpecs['${spec.name}'].maxSize`, 'a NodePool is limited by CPU and memory, not by node count', 'remove maxSize and set defaults.limits (maxVcpu / maxMemoryGiB)');
  }
  for (const key of Object.keys(spec.tags)) {
    if (RESERVED_TAG.test(key)) {
      unsupported('karpenter', `${fieldOrigin(spec, 'tags')}["${key}"]`, 'Karpenter sets this tag itself and its EC2NodeClass rejects it', 'remove the tag');
    }
  }
  for (const key of Object.keys(spec.labels)) {
    if (RESERVED_LABEL.test(key)) {
      unsupported('karpenter', `launchSpecs['${spec.name}'].labels["${key}"]`, 'the karpenter.sh and karpenter.k8s.aws label domains are reserved', 'use a label in your own domain');
    }
  }
}
