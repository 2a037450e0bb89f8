/**
 * Checks Terraform JSON arguments of a `spotinst_*` resource (or the provider block) against the
 * provider's schema snapshot: unknown arguments, read-only ones, missing required ones, literal
 * types, MaxItems/MinItems and ConflictsWith. A value that is an unresolved Terraform expression
 * (`${…}`) is accepted wherever a primitive or a list goes: its type is only known at plan.
 */
import { nestedBlock, SPOTINST_SCHEMA, type SchemaAttribute, type SchemaBlock, type SchemaType } from './provider-schema';

/** Meta-arguments Terraform accepts on every resource, and cdktf's metadata key. */
const RESOURCE_META = new Set(['//', 'provider', 'depends_on', 'count', 'for_each', 'lifecycle', 'provisioner', 'connection']);
const PROVIDER_META = new Set(['alias']);

const isExpression = (v: unknown) => typeof v === 'string' && v.includes('${');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function primitiveProblem(value: unknown, type: SchemaType): string | undefined {
  if (isExpression(value)) return undefined;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : `expects a string, got ${describe(value)}`;
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : `expects a whole number, got ${describe(value)}`;
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `expects a number, got ${describe(value)}`;
    case 'bool':
      return typeof value === 'boolean' ? undefined : `expects true or false, got ${describe(value)}`;
    default:
      return `expects a ${type}, got ${describe(value)}`;
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Reads a dotted path (`autoscaler.0.resource_limits`) from the resource root. */
function lookup(root: Record<string, unknown>, path: string): unknown {
  let at: unknown = root;
  for (const part of path.split('.')) {
    if (Array.isArray(at)) at = at[Number(part)];
    else if (isObject(at)) at = at[part];
    else return undefined;
  }
  return at;
}

function checkBlock(args: Record<string, unknown>, block: SchemaBlock, path: string, root: Record<string, unknown>, meta: Set<string>): string[] {
  const problems: string[] = [];
  const at = (name: string) => (path ? `${path}.${name}` : name);
  for (const [name, attribute] of Object.entries(block)) {
    if (attribute.required && args[name] === undefined) problems.push(`${at(name)}: required by the provider, missing`);
  }
  for (const [name, value] of Object.entries(args)) {
    if (meta.has(name) || value === undefined || value === null) continue;
    const attribute = block[name];
    if (!attribute) {
      problems.push(`${at(name)}: not an argument of this block (known: ${Object.keys(block).join(', ')})`);
      continue;
    }
    if (attribute.computed && !attribute.optional && !attribute.required) {
      problems.push(`${at(name)}: read-only (computed by the provider), cannot be set`);
      continue;
    }
    problems.push(...checkAttribute(value, attribute, at(name), root));
    for (const other of attribute.conflictsWith ?? []) {
      if (lookup(root, other) !== undefined && lookup(root, other) !== null) problems.push(`${at(name)}: conflicts with ${other}; set only one of them`);
    }
  }
  return problems;
}

function checkAttribute(value: unknown, attribute: SchemaAttribute, path: string, root: Record<string, unknown>): string[] {
  const { type } = attribute;
  if (type !== 'list' && type !== 'set' && type !== 'map') {
    const problem = primitiveProblem(value, type);
    return problem ? [`${path}: ${problem}`] : [];
  }
  if (type === 'map') {
    if (isExpression(value)) return [];
    if (!isObject(value)) return [`${path}: expects a map, got ${describe(value)}`];
    const elemType = attribute.elem && 'type' in attribute.elem ? attribute.elem.type : 'string';
    return Object.entries(value).flatMap(([k, v]) => (primitiveProblem(v, elemType) ? [`${path}.${k}: ${primitiveProblem(v, elemType)}`] : []));
  }
  const block = nestedBlock(attribute);
  if (isExpression(value) && !block) return [];
  // Terraform JSON writes one block as an object or any number as a list of objects.
  const items = block && isObject(value) ? [value] : value;
  if (!Array.isArray(items)) return [`${path}: expects ${block ? 'a block (a list of objects)' : `a ${type} of values`}, got ${describe(value)}`];
  const problems: string[] = [];
  if (attribute.maxItems !== undefined && items.length > attribute.maxItems) problems.push(`${path}: at most ${attribute.maxItems} item(s), got ${items.length}`);
  if (attribute.minItems !== undefined && items.length < attribute.minItems) problems.push(`${path}: at least ${attribute.minItems} item(s), got ${items.length}`);
  items.forEach((item, i) => {
    if (block) {
      if (!isObject(item)) problems.push(`${path}[${i}]: expects a block (an object), got ${describe(item)}`);
      else problems.push(...checkBlock(item, block, `${path}[${i}]`, root, new Set(['dynamic'])));
    } else if (attribute.elem && 'type' in attribute.elem) {
      const problem = primitiveProblem(item, attribute.elem.type);
      if (problem) problems.push(`${path}[${i}]: ${problem}`);
    }
  });
  return problems;
}

/** Problems with one resource's Terraform JSON body; empty when the provider accepts every argument. */
export function checkSpotinstResource(resourceType: string, body: Record<string, unknown>): string[] {
  const schema = SPOTINST_SCHEMA.resources[resourceType];
  if (!schema) return [`${resourceType}: no schema in the snapshot (release ${SPOTINST_SCHEMA.release}); known: ${Object.keys(SPOTINST_SCHEMA.resources).join(', ')}`];
  return checkBlock(body, schema, '', body, RESOURCE_META).map((p) => `${resourceType}.${p}`);
}

/** Problems with the `provider "spotinst"` block. */
export function checkSpotinstProvider(body: Record<string, unknown>): string[] {
  return checkBlock(body, SPOTINST_SCHEMA.provider, '', body, PROVIDER_META).map((p) => `provider.spotinst.${p}`);
}

/** Every `spotinst_*` resource and `spotinst` provider block of a synthesized stack (Terraform JSON). */
export function checkSynthesizedStack(stack: { resource?: Record<string, Record<string, unknown>>; provider?: Record<string, unknown> }): string[] {
  const problems: string[] = [];
  for (const [type, byId] of Object.entries(stack.resource ?? {})) {
    if (!type.startsWith('spotinst_')) continue;
    for (const [id, body] of Object.entries(byId)) problems.push(...checkSpotinstResource(type, body as Record<string, unknown>).map((p) => `${id}: ${p}`));
  }
  const providers = stack.provider?.spotinst;
  for (const body of Array.isArray(providers) ? providers : providers ? [providers] : []) problems.push(...checkSpotinstProvider(body as Record<string, unknown>));
  return problems;
}
