/**
 * The keys node-manager writes on its own Node, shared by the daemon (which writes them) and the
 * NodeManager construct (whose admission policy allows node-manager to change only these).
 */

/** The label every node carries with its true purchase option, from IMDS `instance-life-cycle`. */
export const LIFECYCLE_LABEL = 'node-lifecycle';
export const LIFECYCLE_VALUES = ['spot', 'on-demand'] as const;
export type Lifecycle = (typeof LIFECYCLE_VALUES)[number];

/** Makes the service controller and the AWS Load Balancer Controller drop the node from load balancers. */
export const EXCLUDE_FROM_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

/** The taint node-manager adds on a notice (its effect is configurable). */
export const INTERRUPTION_TAINT_KEY = 'spot-ready-eks/interruption';

/** What a taint does to pods that do not tolerate it: the interruption taint's and launch specs' effects. */
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

/**
 * What node-manager itself applied for a notice, as JSON (`{noticeKey, cordoned, taint, lbLabel}`),
 * so that a cancelled notice undoes exactly that and nothing an operator or another controller did.
 */
export const APPLIED_ANNOTATION = 'spot-ready-eks/node-manager-applied';

export const MANAGED_NODE_LABELS = [LIFECYCLE_LABEL, EXCLUDE_FROM_LB_LABEL] as const;
export const MANAGED_NODE_ANNOTATIONS = [APPLIED_ANNOTATION] as const;
export const MANAGED_TAINT_KEYS = [INTERRUPTION_TAINT_KEY] as const;
