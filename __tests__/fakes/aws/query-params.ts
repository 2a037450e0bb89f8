/**
 * Reads EC2-query and awsQuery form fields. The SDK flattens lists as `Name.N` (EC2) or
 * `Name.member.N` (awsQuery) and structures in lists as `Prefix.N.Field`.
 */
import { FakeAwsError } from './protocol';

/** Upper bound on list indexes read, so a hostile body cannot make a loop unbounded. */
const MAX_LIST_ITEMS = 1000;

export class QueryParams {
  constructor(
    private readonly form: URLSearchParams,
    /** The service's error for a missing or malformed parameter. */
    private readonly invalid: (name: string, problem: string) => FakeAwsError,
  ) {}

  get(name: string): string | undefined {
    return this.form.get(name) ?? undefined;
  }

  required(name: string): string {
    const value = this.get(name);
    if (value === undefined || value === '') throw this.invalid(name, 'is required');
    return value;
  }

  int(name: string, min: number, max: number): number | undefined {
    const raw = this.get(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw this.invalid(name, `must be an integer from ${min} to ${max}, got '${raw}'`);
    }
    return value;
  }

  /** `prefix.1`, `prefix.2`, … until the first gap. */
  list(prefix: string): string[] {
    const values: string[] = [];
    for (let i = 1; i <= MAX_LIST_ITEMS; i++) {
      const value = this.get(`${prefix}.${i}`);
      if (value === undefined) break;
      values.push(value);
    }
    return values;
  }

  /** `prefix.N.Field` groups, each as a `QueryParams` scoped to `prefix.N.`. */
  structs(prefix: string): QueryParams[] {
    const result: QueryParams[] = [];
    for (let i = 1; i <= MAX_LIST_ITEMS; i++) {
      const scope = `${prefix}.${i}.`;
      const scoped = new URLSearchParams();
      for (const [key, value] of this.form) if (key.startsWith(scope)) scoped.append(key.slice(scope.length), value);
      if ([...scoped.keys()].length === 0) break;
      result.push(new QueryParams(scoped, this.invalid));
    }
    return result;
  }

  /** Every field, for the call log. */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.form);
  }
}
