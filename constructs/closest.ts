/**
 * "Did you mean …?" for misspelt setting names. Edit distance (Damerau–Levenshtein, adjacent
 * transpositions count once) on lower-cased names without `_`/`-`, so `SPOT_EKS_AZCOUNT` finds
 * `SPOT_EKS_AZ_COUNT` and `maxsize` finds `maxSize`; a name cut short finds the longer one.
 * Hand-written: twenty lines, and the suggestion rule (normalised names, a distance bound) is ours
 * rather than a library's.
 */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

const normalise = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');

/** The known name closest to `name`, or undefined when none is close (more than a third of it differs). */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const n = normalise(name);
  for (const candidate of known) {
    const c = normalise(candidate);
    // A name cut short (`SPOT_EKS_CAPACITY` for `SPOT_EKS_CAPACITY_ENGINE`) is nearer than any edit.
    const dist = n.length >= 4 && c.startsWith(n) ? 0.5 : distance(n, c);
    if (dist < bestDistance) [best, bestDistance] = [candidate, dist];
  }
  return bestDistance <= Math.max(2, Math.ceil(n.length / 3)) ? best : undefined;
}

/** `unknown setting "x"; did you mean "y"? Known: …` */
export function unknownKeyMessage(name: string, known: readonly string[], quote = (s: string) => `"${s}"`): string {
  const near = closest(name, known);
  return `unknown setting ${quote(name)}${near ? `; did you mean ${quote(near)}?` : ''} Known: ${[...known].sort().join(', ')}`;
}
