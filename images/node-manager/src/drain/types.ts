/** The drain's shared shapes: the options both bundles read and the report a drain returns. */
import type { TaintEffect } from '../config';
import type { KubeLite } from '../kube-api';
import type { Logger } from '../logger';
import type { DaemonMetrics } from '../metrics';

export interface DrainReport {
  readonly cordoned: boolean;
  readonly evicted: string[];
  readonly skipped: string[];
  readonly failed: string[];
}

export interface DrainerOptions {
  readonly nodeName: string;
  /** The daemon's Kubernetes API client, made from KUBECONFIG or the pod's service account (checked at start). */
  readonly kube: KubeLite;
  readonly dryRun: boolean;
  /** Cordon and taint, evict nothing. */
  readonly cordonOnly: boolean;
  readonly taintEffect: TaintEffect;
  /** Grace period of each eviction; undefined → the pod's own. */
  readonly podGracePeriodSeconds?: number;
  readonly logger: Logger;
  readonly metrics: DaemonMetrics;
}
