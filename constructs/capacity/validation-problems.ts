/** The collector every launch-spec check writes to: one `field: problem. Fix: …` line each. */
import { isToken } from '../tokens';

export class Problems {
  readonly lines: string[] = [];
  add(field: string, problem: string, fix: string): void {
    this.lines.push(`${field}: ${problem}. Fix: ${fix}.`);
  }
}

/** False for a cdktf token (known only at apply time): such values are not checked. */
export const known = (v: unknown): boolean => !isToken(v);
export const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
