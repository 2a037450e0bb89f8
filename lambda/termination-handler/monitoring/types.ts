import type * as z from '../zod';
import type { InterruptionNotice } from '../../../contract/interruption-notice';
import type { Config } from '../config';

/** What a provider is told about the host it must silence. */
export interface HostToSilence {
  readonly clusterName: string;
  readonly notice: InterruptionNotice;
  readonly privateDnsName?: string;
}

/** What was done, for the summary. */
export interface MonitoringDetail {
  readonly provider: string;
  readonly action: string;
  /** The provider's id for the host, when it has one. */
  readonly hostId?: string;
}

/** Reads the provider's credentials (validated against the provider's schema), cached per container. */
export type ReadSecret = <T>(schema: z.ZodMiniType<T>) => Promise<T>;

export type MonitoringProviderFn = (
  host: HostToSilence,
  settings: Config['monitoring'],
  readSecret: ReadSecret,
) => Promise<MonitoringDetail>;
