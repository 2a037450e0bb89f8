/** Prometheus metrics on a registry of our own (not the process-global one), served at /metrics. */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

export class DaemonMetrics {
  readonly registry = new Registry();

  /** New notices (each notice key once), by signal and the action sent. */
  readonly signalsSeen = new Counter({
    name: 'node_manager_signals_seen_total',
    help: 'Interruption notices detected, each notice once, by signal and action sent',
    labelNames: ['signal', 'action'] as const,
    registers: [this.registry],
  });

  readonly imdsErrors = new Counter({
    name: 'node_manager_imds_errors_total',
    help: 'Failed IMDS checks by metadata path and reason (timeout, network, status, unauthorized, oversize, parse)',
    labelNames: ['path', 'reason'] as const,
    registers: [this.registry],
  });

  /** One count per Invoke call: sent (202) or failed (retried or given up). */
  readonly invokes = new Counter({
    name: 'node_manager_lambda_invokes_total',
    help: 'Asynchronous Invoke calls to the termination Lambda by result (sent, failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly noticesUndelivered = new Counter({
    name: 'node_manager_notices_undelivered_total',
    help: 'Delivery rounds that ended without an accepted (202) invoke; a later poll tries again while IMDS shows the signal',
    registers: [this.registry],
  });

  readonly drains = new Counter({
    name: 'node_manager_drains_total',
    help: 'Node drains by result (complete, cordoned (cordon-only), incomplete, dry-run, error)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly evictions = new Counter({
    name: 'node_manager_evictions_total',
    help: 'Pod evictions by result (evicted, skipped, failed, dry-run)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly cancellations = new Counter({
    name: 'node_manager_cancellations_total',
    help: 'Acted-on notices that vanished from IMDS (cancelled), by result (undone, nothing-to-undo)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly lastPoll = new Gauge({
    name: 'node_manager_last_poll_timestamp_seconds',
    help: 'When the last poll of all signals finished',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'node_manager_' });
  }
}
