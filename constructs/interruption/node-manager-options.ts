/**
 * The NTH-style knobs of {@link NodeManager} (props → validated values → the daemon's environment).
 * Every bad value fails at synth naming the prop, what is accepted and the fix.
 */
import { Token } from 'cdktf';
import {
  DaemonSetV1SpecTemplateSpecContainer,
  DaemonSetV1SpecTemplateSpecToleration,
} from '@cdktf/provider-kubernetes/lib/daemon-set-v1';
import { actOnProblem, DEFAULT_ACT_ON } from '../../contract/act-on';
import type { SignalKind } from '../../contract/interruption-notice';
import { REDELIVERY_MAX_PAUSE_MS, REDELIVERY_PAUSE_MS } from '../../contract/redelivery';
import { DEFAULT_WEBHOOK_TEMPLATE, WEBHOOK_PLACEHOLDERS, webhookTemplateProblem } from '../../contract/webhook-template';
import { TAINT_EFFECTS, type TaintEffect } from '../capacity/kubernetes-syntax';
import { HEALTH_PORT, NodeManagerPodOptions, NodeManagerResources, TOLERATE_EVERYTHING } from './node-manager-pod';

export { TAINT_EFFECTS, type TaintEffect };

/** A Secret key holding the operator webhook URL (its path is often the credential: never a plain value). */
export interface NodeManagerWebhook {
  /** Name of a Secret in node-manager's namespace. */
  readonly secretName: string;
  /** Key of the URL in that Secret. @default 'url' */
  readonly secretKey?: string;
  /**
   * JSON body posted per action; `{{placeholder}}` is replaced by the value, JSON-escaped.
   * Placeholders: `action`, `signal`, `instanceId`, `nodeName`, `noticeTime`, `detail`.
   * @default '{"text":"node-manager {{action}}: {{signal}} on {{nodeName}} ({{instanceId}}) at {{noticeTime}} {{detail}}"}' (Slack-style)
   */
  readonly template?: string;
}

/** The NTH-style knobs of {@link NodeManager} (part of `NodeManagerProps`). */
export interface NodeManagerKnobs {
  /** Cordon, taint, label and drain the node on notice (`false`: node-manager only reports to the Lambda). @default true */
  readonly drain?: boolean;
  /** Cordon and taint the node on notice but evict nothing (NTH's cordon-only); needs `drain` left on. @default false */
  readonly cordonOnly?: boolean;
  /** Log what would be done, change nothing in Kubernetes. @default false */
  readonly dryRun?: boolean;
  /** IMDS poll interval, 100 to 60000. @default 2000 */
  readonly pollIntervalMs?: number;
  /**
   * Signals that take the node out of service; others are only reported. The same list as the
   * TerminationHandler's `eventActOn` (one default, `DEFAULT_ACT_ON` of contract/act-on.ts;
   * `instance-state-change` only EventBridge delivers, so it changes nothing here).
   * @default ['spot-interruption', 'asg-termination', 'instance-state-change']
   */
  readonly actOn?: SignalKind[];
  /**
   * At start, label the node `node-lifecycle: spot|on-demand` from IMDS `instance-life-cycle`, so
   * every node of every engine carries the true value whatever its template said.
   * @default true
   */
  readonly labelLifecycle?: boolean;
  /**
   * Effect of the `spot-ready-eks/interruption` taint added on notice. `NoExecute` makes the
   * taint manager evict every pod that does not tolerate it at once, without PodDisruptionBudgets.
   * @default 'NoSchedule'
   */
  readonly taintEffect?: TaintEffect;
  /** Grace period given to each evicted pod, 0 to 3600 s. @default - each pod's own terminationGracePeriodSeconds */
  readonly podTerminationGracePeriodSeconds?: number;
  /** Longest a drain may take from the notice, 10 to 86400 s. @default - until the notice's action time (at least 120 s) */
  readonly nodeTerminationGracePeriodSeconds?: number;
  /**
   * Pause before a notice the termination Lambda did not accept (e.g. a 403 while Pod Identity
   * credentials rotate) is delivered again by a later poll; it doubles per round up to
   * `redeliveryMaxPauseMs`. 100 to 60000 ms.
   * @default 1000
   */
  readonly redeliveryPauseMs?: number;
  /** Longest pause between delivery rounds of one notice, 100 to 600000 ms and at least `redeliveryPauseMs`. @default 30000 */
  readonly redeliveryMaxPauseMs?: number;
  /** Record a Kubernetes Event on the Node for each action (cordon, drain, uncordon, label). @default true */
  readonly emitKubernetesEvents?: boolean;
  /** Operator webhook (Slack-style template) posted per action, besides the Lambda's monitoring mute. @default - none */
  readonly webhook?: NodeManagerWebhook;
  /** Port of /healthz and /metrics on the node's IP (host network: pick one free on every node), 1024 to 65535. @default 9400 */
  readonly metricsPort?: number;
  /** Tolerations of the pod. @default [{ operator: 'Exists' }] (every taint, its own included) */
  readonly tolerations?: DaemonSetV1SpecTemplateSpecToleration[];
  /** Requests and limits of the node-manager container. @default - requests 10m/64Mi, limits 100m/128Mi */
  readonly resources?: NodeManagerResources;
  /** Node selector added to the built-in affinity (Linux EC2 nodes). @default {} */
  readonly nodeSelector?: Record<string, string>;
  /** Priority class of the pod. @default 'system-node-critical' */
  readonly priorityClassName?: string;
  /** Other per-node containers to run in the same DaemonSet pod (host network, node-manager's service account). @default [] */
  readonly extraContainers?: DaemonSetV1SpecTemplateSpecContainer[];
}

/** The validated knobs: the pod's share of {@link NodeManagerPodOptions}, and what node-manager may do in Kubernetes. */
export type ResolvedKnobs = Required<
  Pick<NodeManagerPodOptions, 'env' | 'secretEnv' | 'httpPort' | 'tolerations' | 'resources' | 'nodeSelector' | 'priorityClassName' | 'extraContainers'>
> & {
  readonly access: { readonly patchNode: boolean; readonly evict: boolean; readonly events: boolean };
};

function fail(field: string, problem: string, fix: string): never {
  throw new Error(`NodeManager.${field}: ${problem}. Fix: ${fix}.`);
}

function wholeNumber(field: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) fail(field, `must be a whole number from ${min} to ${max} (got ${value})`, `use a value in ${min}..${max}`);
}

const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkTemplate(template: string): void {
  const problem = webhookTemplateProblem(template);
  if (problem) fail('webhook.template', problem, `use only ${WEBHOOK_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')} in a JSON body`);
}

export function resolveKnobs(k: NodeManagerKnobs): ResolvedKnobs {
  const drain = k.drain ?? true;
  const cordonOnly = k.cordonOnly ?? false;
  if (cordonOnly && k.drain === false) {
    fail('cordonOnly', 'is true while drain is false (cordon-only still cordons the node)', 'set drain: true (or leave it unset) with cordonOnly, or drop cordonOnly to leave nodes alone');
  }
  const labelLifecycle = k.labelLifecycle ?? true;
  const emitEvents = k.emitKubernetesEvents ?? true;
  const pollIntervalMs = k.pollIntervalMs ?? 2000;
  wholeNumber('pollIntervalMs', pollIntervalMs, 100, 60_000);
  const actOn = k.actOn ?? DEFAULT_ACT_ON;
  const actOnWrong = actOnProblem(actOn);
  if (actOnWrong) fail('actOn', actOnWrong, 'list known signal kinds (the same list as the TerminationHandler eventActOn)');
  const taintEffect = k.taintEffect ?? 'NoSchedule';
  if (!(TAINT_EFFECTS as readonly string[]).includes(taintEffect)) {
    fail('taintEffect', `must be one of ${TAINT_EFFECTS.join(', ')} (got '${taintEffect}')`, "use 'NoSchedule' (the default) or 'NoExecute'");
  }
  wholeNumber('podTerminationGracePeriodSeconds', k.podTerminationGracePeriodSeconds, 0, 3600);
  wholeNumber('nodeTerminationGracePeriodSeconds', k.nodeTerminationGracePeriodSeconds, 10, 86_400);
  wholeNumber('redeliveryPauseMs', k.redeliveryPauseMs, REDELIVERY_PAUSE_MS.min, REDELIVERY_PAUSE_MS.max);
  wholeNumber('redeliveryMaxPauseMs', k.redeliveryMaxPauseMs, REDELIVERY_MAX_PAUSE_MS.min, REDELIVERY_MAX_PAUSE_MS.max);
  const pause = k.redeliveryPauseMs ?? REDELIVERY_PAUSE_MS.default;
  const maxPause = k.redeliveryMaxPauseMs ?? REDELIVERY_MAX_PAUSE_MS.default;
  if (!Token.isUnresolved(pause) && !Token.isUnresolved(maxPause) && maxPause < pause) {
    fail(
      k.redeliveryMaxPauseMs === undefined ? 'redeliveryPauseMs' : 'redeliveryMaxPauseMs',
      `redeliveryMaxPauseMs (${maxPause}${k.redeliveryMaxPauseMs === undefined ? ', the default' : ''}) is below redeliveryPauseMs (${pause})`,
      'set redeliveryMaxPauseMs at least as large as redeliveryPauseMs',
    );
  }
  const httpPort = k.metricsPort ?? HEALTH_PORT;
  wholeNumber('metricsPort', httpPort, 1024, 65_535);
  for (const [where, map] of Object.entries({ 'resources.requests': k.resources?.requests ?? {}, 'resources.limits': k.resources?.limits ?? {} })) {
    for (const [name, quantity] of Object.entries(map)) {
      if (!Token.isUnresolved(quantity) && !QUANTITY.test(quantity)) {
        fail(`${where}.${name}`, `'${quantity}' is not a Kubernetes quantity`, "write e.g. '50m' CPU or '96Mi' memory");
      }
    }
  }
  for (const [key, value] of Object.entries(k.nodeSelector ?? {})) {
    if (!LABEL_NAME.test(key) || (value !== '' && !/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(value))) {
      fail(`nodeSelector['${key}']`, `'${key}: ${value}' is not a valid label key and value`, 'use label keys such as kubernetes.io/arch and values of at most 63 characters');
    }
  }
  const priorityClassName = k.priorityClassName ?? 'system-node-critical';
  if (!Token.isUnresolved(priorityClassName) && (!DNS_NAME.test(priorityClassName) || priorityClassName.length > 253)) {
    fail('priorityClassName', `'${priorityClassName}' is not a PriorityClass name`, "use a lower-case DNS name such as 'system-node-critical'");
  }
  const extraContainers = k.extraContainers ?? [];
  const names = new Set<string>(['node-manager']);
  for (const [i, c] of extraContainers.entries()) {
    if (!c.name || names.has(c.name)) fail(`extraContainers[${i}].name`, `'${c.name}' is empty or already used`, 'give every extra container its own name (not node-manager)');
    names.add(c.name);
  }
  if (k.webhook) {
    if (!DNS_NAME.test(k.webhook.secretName)) fail('webhook.secretName', `'${k.webhook.secretName}' is not a Secret name`, 'use the lower-case name of a Secret in the node-manager namespace');
    checkTemplate(k.webhook.template ?? DEFAULT_WEBHOOK_TEMPLATE);
  }

  const evict = drain && !cordonOnly;
  return {
    env: {
      POLL_INTERVAL_MS: String(pollIntervalMs),
      ACT_ON: actOn.join(','),
      DRAIN_ENABLED: String(drain),
      CORDON_ONLY: String(cordonOnly),
      DRY_RUN: String(k.dryRun ?? false),
      LABEL_LIFECYCLE: String(labelLifecycle),
      TAINT_EFFECT: taintEffect,
      EMIT_KUBERNETES_EVENTS: String(emitEvents && (drain || labelLifecycle)),
      HTTP_PORT: String(httpPort),
      ...(k.podTerminationGracePeriodSeconds !== undefined ? { POD_TERMINATION_GRACE_PERIOD_SECONDS: String(k.podTerminationGracePeriodSeconds) } : {}),
      ...(k.nodeTerminationGracePeriodSeconds !== undefined ? { NODE_TERMINATION_GRACE_PERIOD_SECONDS: String(k.nodeTerminationGracePeriodSeconds) } : {}),
      ...(k.redeliveryPauseMs !== undefined ? { REDELIVERY_PAUSE_MS: String(k.redeliveryPauseMs) } : {}),
      ...(k.redeliveryMaxPauseMs !== undefined ? { REDELIVERY_MAX_PAUSE_MS: String(k.redeliveryMaxPauseMs) } : {}),
      ...(k.webhook ? { WEBHOOK_TEMPLATE: k.webhook.template ?? DEFAULT_WEBHOOK_TEMPLATE } : {}),
    },
    secretEnv: k.webhook ? { WEBHOOK_URL: { name: k.webhook.secretName, key: k.webhook.secretKey ?? 'url' } } : {},
    access: { patchNode: drain || labelLifecycle, evict, events: emitEvents && (drain || labelLifecycle) },
    httpPort,
    tolerations: k.tolerations ?? TOLERATE_EVERYTHING,
    resources: k.resources ?? {},
    nodeSelector: k.nodeSelector ?? {},
    priorityClassName,
    extraContainers,
  };
}
