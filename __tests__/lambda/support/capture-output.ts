/** Captures what Powertools writes to stdout/stderr (JSON log lines and EMF metric lines) and keeps the test output quiet. */
export interface EmfLine {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

export function captureOutput() {
  const chunks: string[] = [];
  const collect = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  // Errors and warnings go to stderr; both are captured so the logs can be asserted and stay quiet.
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(collect), vi.spyOn(process.stderr, 'write').mockImplementation(collect)];
  const json = () =>
    chunks.join('').split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    restore: () => spies.forEach((s) => s.mockRestore()),
    clear: () => { chunks.length = 0; },
    logs: () => json().filter((l) => !('_aws' in l)),
    emf: () => json().filter((l): l is EmfLine => '_aws' in l),
  };
}
