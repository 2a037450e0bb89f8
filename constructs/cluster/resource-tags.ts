import { IConstruct } from 'constructs';
import { Aspects, IAspect, TerraformResource } from 'cdktf';

/**
 * Adds `tags` to every taggable resource under `scope` (those with a `tags` map argument), at
 * synth. A resource's own tags win over these, as the AWS provider's `default_tags` do. For a
 * whole stack, the provider's `default_tags` is the simpler place; this is for a construct used
 * in someone else's stack.
 */
export function tagResources(scope: IConstruct, tags: Record<string, string> | undefined): void {
  if (!tags || Object.keys(tags).length === 0) return;
  Aspects.of(scope).add(new ResourceTags(tags));
}

interface Taggable {
  tags: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
}

class ResourceTags implements IAspect {
  constructor(private readonly tags: Record<string, string>) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || !('tagsInput' in node)) return;
    const resource = node as unknown as Taggable;
    resource.tags = { ...this.tags, ...resource.tagsInput };
  }
}
