/**
 * The spotinst provider's argument schema for the resources this engine binds, generated from the
 * provider's Go source (`generate-schema.mjs`) for the release the provider constraint pins.
 */
import snapshot from './provider-schema.json';

/** Terraform-plugin-sdk value types. */
export type SchemaType = 'string' | 'int' | 'float' | 'bool' | 'list' | 'set' | 'map';

/** One argument as the provider declares it (`schema.Schema`). */
export interface SchemaAttribute {
  readonly type: SchemaType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly maxItems?: number;
  readonly minItems?: number;
  /** Arguments that may not be set together with this one (paths from the resource root). */
  readonly conflictsWith?: readonly string[];
  readonly exactlyOneOf?: readonly string[];
  readonly atLeastOneOf?: readonly string[];
  readonly requiredWith?: readonly string[];
  readonly default?: string | number | boolean;
  readonly deprecated?: string;
  /** A collection's element: a primitive type, or a nested block (the collection is then a block). */
  readonly elem?: { readonly type: SchemaType; readonly elem?: SchemaAttribute['elem'] } | { readonly block: SchemaBlock };
}

export type SchemaBlock = Readonly<Record<string, SchemaAttribute>>;

export interface ProviderSchemaSnapshot {
  /** Registry source, e.g. `spotinst/spotinst`. */
  readonly registrySource: string;
  /** The provider release the snapshot was generated from, e.g. `v1.240.0`. */
  readonly release: string;
  readonly commit?: string;
  readonly provider: SchemaBlock;
  readonly resources: Readonly<Record<string, SchemaBlock>>;
}

export const SPOTINST_SCHEMA = snapshot as unknown as ProviderSchemaSnapshot;

/** The release the snapshot came from, without the `v`: the version the provider is pinned to. */
export const SPOTINST_PROVIDER_RELEASE = SPOTINST_SCHEMA.release.replace(/^v/, '');

/** The nested block of a block-typed attribute, or undefined for a primitive or a collection of primitives. */
export function nestedBlock(attribute: SchemaAttribute): SchemaBlock | undefined {
  return attribute.elem && 'block' in attribute.elem ? attribute.elem.block : undefined;
}
