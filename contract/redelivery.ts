/**
 * node-manager's re-delivery of a notice the termination Lambda did not accept (no 202): the first
 * pause, doubling per round up to the cap. One set of bounds and defaults for the daemon's
 * environment (REDELIVERY_PAUSE_MS, REDELIVERY_MAX_PAUSE_MS), the NodeManager construct's knobs and
 * the platform config; the cap must be at least the pause.
 */
export const REDELIVERY_PAUSE_MS = { min: 100, max: 60_000, default: 1000 } as const;
export const REDELIVERY_MAX_PAUSE_MS = { min: 100, max: 600_000, default: 30_000 } as const;
