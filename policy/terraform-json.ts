/** Reading synthesized Terraform JSON (cdk.tf.json) for the policy rules. */

export type TfBlock = Record<string, any>;
export interface TfJson {
  resource?: Record<string, Record<string, TfBlock>>;
  data?: Record<string, Record<string, TfBlock>>;
  provider?: Record<string, TfBlock[]>;
  variable?: Record<string, TfBlock>;
}

/** One resource of a stack: its Terraform type, logical id and body. */
export interface TfResource {
  readonly type: string;
  readonly name: string;
  readonly body: TfBlock;
}

export function resourcesOf(tf: TfJson, ...types: string[]): TfResource[] {
  return Object.entries(tf.resource ?? {})
    .filter(([type]) => types.length === 0 || types.includes(type))
    .flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, body })));
}

/** `${aws_kms_key.foo.arn}` → the body of `aws_kms_key.foo`, if it is in this stack. */
export function referenced(tf: TfJson, ref: unknown): TfResource | undefined {
  const m = typeof ref === 'string' ? /^\$\{([a-z0-9_]+)\.([^.}]+)\./.exec(ref) : null;
  const body = m ? tf.resource?.[m[1]]?.[m[2]] : undefined;
  return m && body ? { type: m[1], name: m[2], body } : undefined;
}

/** A Terraform block written as an object or as a one-element list. */
export function block(value: unknown): TfBlock | undefined {
  return Array.isArray(value) ? value[0] : (value as TfBlock | undefined);
}

export function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Every [path, string] in a JSON value, depth-first. */
export function* strings(value: unknown, path = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* strings(value[i], `${path}[${i}]`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== '//') yield* strings(v, path ? `${path}.${k}` : k);
}
