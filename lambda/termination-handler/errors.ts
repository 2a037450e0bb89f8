/** Turns whatever an AWS SDK call or fetch threw into a {@link StepFailure}: the why, in one line. */
import type { FailureKind, StepFailure } from './types';

const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestLimitExceeded',
  'TooManyRequestsException', 'ProvisionedThroughputExceededException', 'RequestThrottled',
  'RequestThrottledException', 'SlowDown', 'TransactionInProgressException',
]);
const ACCESS_DENIED = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError',
  'AuthorizationErrorException', 'UnrecognizedClientException', 'ExpiredTokenException',
]);

interface ErrorLike {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: 'client' | 'server';
  status?: number;
}

export function classifyError(err: unknown): FailureKind {
  const e = (err ?? {}) as ErrorLike;
  const status = e.$metadata?.httpStatusCode ?? e.status;
  if (e.name && THROTTLING.has(e.name)) return 'throttled';
  if (status === 429) return 'throttled';
  if (e.name && ACCESS_DENIED.has(e.name)) return 'access-denied';
  if (status === 401 || status === 403) return 'access-denied';
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.name === 'RequestTimeout') return 'timeout';
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) return 'server-error';
  return 'other';
}

export function describeError(err: unknown): string {
  if (!(err instanceof Error) && typeof err !== 'object') return String(err);
  const e = (err ?? {}) as ErrorLike;
  const status = e.$metadata?.httpStatusCode ?? e.status;
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}${status ? ` (HTTP ${status})` : ''}`;
}

export function toFailure(operation: string, err: unknown, resource?: string): StepFailure {
  return { operation, ...(resource ? { resource } : {}), error: describeError(err), kind: classifyError(err) };
}
