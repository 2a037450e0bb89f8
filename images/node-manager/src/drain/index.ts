/**
 * Drains this node once, whatever number of notices asks for it (the work is in `./run`, bundled
 * as drain.js with the YAML parser and loaded on the first drain: an uninterrupted node never
 * parses it). That the kubeconfig file is readable is checked at start, so a missing file stops the
 * daemon at once rather than on the node's last two minutes.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter } from 'node:path';
import type { InterruptionNotice } from '../../../../contract/interruption-notice';
import { ConfigError } from '../config';
import type { DrainerOptions, DrainReport } from './types';

export type { DrainerOptions, DrainReport } from './types';

export interface Drainer {
  /** Drains once; later calls return the first drain's report (until {@link Drainer.reset}). */
  drain(notice: InterruptionNotice, deadline: number): Promise<DrainReport>;
  /** The node was put back in service (a cancelled notice): the next notice drains again. */
  reset(): void;
  close(): void;
}

const nothingDone = (): DrainReport => ({ cordoned: false, evicted: [], skipped: [], failed: [] });

/** Throws {@link ConfigError} naming KUBECONFIG when a file it lists cannot be read. */
export function checkKubeconfig(kubeconfigPath: string | undefined): void {
  const unreadable = (kubeconfigPath ?? '')
    .split(delimiter)
    .filter(Boolean)
    .flatMap((file) => {
      try {
        accessSync(file, constants.R_OK);
        return [];
      } catch (err) {
        return [`${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`];
      }
    });
  if (unreadable.length > 0) {
    throw new ConfigError([
      `KUBECONFIG: cannot read ${unreadable.join(', ')}: mount a readable kubeconfig, or unset KUBECONFIG to use the pod's service account`,
    ]);
  }
}

/**
 * Parses a YAML kubeconfig with the parser bundled in drain.js (`./run`), so the
 * daemon's always-loaded bundle does not carry a YAML parser that only off-cluster runs need.
 */
export async function parseYamlOffCluster(text: string): Promise<unknown> {
  const { parseYaml } = await import('./run');
  return parseYaml(text);
}

export function createDrainer(opts: DrainerOptions): Drainer {
  const stopping = new AbortController();
  let started: Promise<DrainReport> | undefined;

  async function run(notice: InterruptionNotice, deadline: number): Promise<DrainReport> {
    const loadStartedAt = Date.now();
    const { drainNode } = await import('./run');
    opts.logger.info('drain code loaded', { loadMs: Date.now() - loadStartedAt });
    return drainNode(opts, notice, deadline, stopping.signal);
  }

  return {
    drain(notice, deadline) {
      if (stopping.signal.aborted) return Promise.resolve(nothingDone()); // stopping: load nothing
      started ??= run(notice, deadline).catch((err: unknown) => {
        opts.metrics.drains.inc({ result: 'error' });
        opts.logger.error('drain failed', { err, node: opts.nodeName });
        return nothingDone();
      });
      return started;
    },
    reset: () => {
      started = undefined;
    },
    close: () => stopping.abort(),
  };
}
