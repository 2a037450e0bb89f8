/**
 * node-manager entry point: read config (exit 1 naming the bad variable), start the daemon, and
 * stop promptly on SIGTERM/SIGINT with exit 0 — the kubelet's grace period is short on a dying node.
 */
import { ConfigError, loadConfig } from './config';
import { startDaemon } from './daemon';
import { createLogger } from './logger';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  // The daemon must outlive any bug in one code path: log it, keep polling.
  process.on('unhandledRejection', (err) => logger.error('unhandled rejection', { err }));

  const daemon = await startDaemon(config, logger);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    // Never let a stuck socket hold the pod past its grace period.
    setTimeout(() => process.exit(0), 3_000).unref();
    void daemon.stop().then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`node-manager failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
