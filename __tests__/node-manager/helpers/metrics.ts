/** Reads the daemon's Prometheus text at /metrics. */

/** The first line of /metrics starting with `prefix` (a name, or a name with the start of its labels). */
export async function metricLine(port: number, prefix: string): Promise<string | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text.split('\n').find((l) => l.startsWith(prefix));
}

/** The value of the first sample starting with `prefix`; NaN when there is none. */
export async function metricValue(port: number, prefix: string): Promise<number> {
  const line = await metricLine(port, prefix);
  return Number(line?.split(' ').pop());
}
