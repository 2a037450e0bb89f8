/**
 * Terraform JSON arguments → the annotated form cdktf's HCL renderer takes (what generated
 * bindings emit from `synthesizeHclAttributes`), with every argument's kind read from the schema
 * snapshot: a block renders as `name { … }`, a list of strings as `name = [ … ]`.
 */
import { nestedBlock, type SchemaAttribute, type SchemaBlock } from './provider-schema';

interface HclValue {
  readonly value: unknown;
  readonly isBlock: boolean;
  readonly type: 'simple' | 'list' | 'set' | 'map';
  readonly storageClassType: string;
}

const STORAGE: Record<string, string> = { string: 'string', int: 'number', float: 'number', bool: 'boolean' };

function hclValue(name: string, value: unknown, attribute: SchemaAttribute, path: string): HclValue {
  const block = nestedBlock(attribute);
  if (block) {
    const items = Array.isArray(value) ? value : [value];
    const type = attribute.type === 'set' ? 'set' : 'list';
    return { value: items.map((item, i) => toHclAttributes(item as Record<string, unknown>, block, `${path}[${i}]`)), isBlock: true, type, storageClassType: `${name}List` };
  }
  if (attribute.type === 'list' || attribute.type === 'set') {
    const elem = attribute.elem && 'type' in attribute.elem ? attribute.elem.type : 'string';
    return { value, isBlock: false, type: attribute.type, storageClassType: `${STORAGE[elem] ?? 'string'}List` };
  }
  if (attribute.type === 'map') return { value, isBlock: false, type: 'map', storageClassType: 'stringMap' };
  return { value, isBlock: false, type: 'simple', storageClassType: STORAGE[attribute.type] };
}

/** Annotates every argument; an argument the schema does not know fails here, naming it (HCL needs its kind). */
export function toHclAttributes(args: Record<string, unknown>, block: SchemaBlock, path: string): Record<string, HclValue> {
  const out: Record<string, HclValue> = {};
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined) continue;
    const attribute = block[name];
    if (!attribute) throw new Error(`${path}.${name}: not an argument the spotinst provider knows, so it cannot be rendered as HCL. Fix: remove it, or set it with addOverride.`);
    out[name] = hclValue(name, value, attribute, `${path}.${name}`);
  }
  return out;
}
