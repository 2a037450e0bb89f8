/**
 * The base of the hand-bound spotinst resources: typed config in, exactly the provider's argument
 * names out, as Terraform JSON or HCL. At synth every resource is checked against the provider's
 * schema snapshot (schema/provider-schema.json), overrides included, so a wrong argument fails
 * `cdktf synth` naming it instead of failing `terraform plan`.
 */
import { TerraformResource, type TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { toTerraformArguments } from './blocks';
import { toHclAttributes } from './schema/hcl';
import { checkSpotinstAtSynth } from './schema/stack-check';
import { SPOTINST_SCHEMA } from './schema/provider-schema';

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
    checkSpotinstAtSynth(this);
  }

  /** The resource id (an Ocean's id is what its launch specs reference). */
  get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return resourceArguments(this.config);
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return toHclAttributes(resourceArguments(this.config), SPOTINST_SCHEMA.resources[this.terraformResourceType], this.terraformResourceType);
  }
}
