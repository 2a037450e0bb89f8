/** The HTTP status of a failed Kubernetes API call (`KubeApiError.status`), or undefined when there was no answer. */
export function apiStatus(err: unknown): number | undefined {
  // Read by shape, not instanceof: this runs in drain.js, the error class lives in main.js.
  const status = (err as { status?: unknown } | null | undefined)?.status;
  return typeof status === 'number' && status > 0 ? status : undefined;
}
