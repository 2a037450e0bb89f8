/** The base of the hand-bound spotinst resources: typed config in, exactly the provider's argument names out. */
import { TerraformResource, type TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { toTerraformArguments } from './blocks';

const META_KEYS = ['dependsOn', 'count', 'provider', 'lifecycle', 'provisioners', 'connection', 'forEach'] as const;

/** The config without cdktf's meta-arguments (those are synthesized by `TerraformResource`). */
export function resourceArguments(config: object): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  for (const key of META_KEYS) delete copy[key];
  return toTerraformArguments(copy);
}

export abstract class SpotinstResource<C extends TerraformMetaArguments> extends TerraformResource {
  constructor(scope: Construct, id: string, terraformResourceType: string, readonly config: C) {
    super(scope, id, {
      terraformResourceType,
      terraformGeneratorMetadata: { providerName: 'spotinst' },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      forEach: config.forEach,
    });
  }

  /** The resource id (an Ocean's id is what its launch specs reference). */
  get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return resourceArguments(this.config);
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    throw new Error(`${this.terraformResourceType}: the hand-written spotinst binding synthesizes Terraform JSON only; turn off HCL output.`);
  }
}
