import { Construct } from 'constructs';
import { Fn, TerraformResource } from 'cdktf';
import { packageRoot } from '../package-paths';

export interface NodeManagerImageBuildProps {
  /** The ECR repository URL (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
  readonly repositoryUrl: string;
  /** Image tag to publish; tags are immutable, so a new build needs a new tag. */
  readonly tag: string;
  /** Region of the repository. */
  readonly region: string;
  /** Platforms built into one multi-arch image. @default ['linux/amd64', 'linux/arm64'] */
  readonly platforms?: string[];
  /** Build context holding `images/node-manager/Dockerfile`. @default - this package's root */
  readonly contextDir?: string;
}

/**
 * Builds node-manager's image and pushes it to the repository while the stack is applied, so the
 * image exists before any stack that runs the DaemonSet is planned: `cdktf deploy cluster …`
 * works from an empty account without a manual push. A `terraform_data` resource with a
 * `local-exec` provisioner, run where terraform runs: it needs Docker with buildx and the AWS CLI
 * there. It skips the build when the tag is already in the repository, and runs again only when
 * the repository or the tag changes.
 */
export class NodeManagerImageBuild extends Construct {
  /** The image reference the build publishes. */
  readonly image: string;

  constructor(scope: Construct, id: string, props: NodeManagerImageBuildProps) {
    super(scope, id);
    this.image = `${props.repositoryUrl}:${props.tag}`;
    const registry = Fn.element(Fn.split('/', props.repositoryUrl), 0);
    const build = new TerraformResource(this, 'build', {
      terraformResourceType: 'terraform_data',
      provisioners: [
        {
          type: 'local-exec',
          command: NODE_MANAGER_BUILD_SCRIPT,
          environment: {
            REPOSITORY_URL: props.repositoryUrl,
            REGISTRY: registry,
            REPOSITORY_NAME: Fn.trimprefix(props.repositoryUrl, `${registry}/`),
            IMAGE_TAG: props.tag,
            AWS_REGION: props.region,
            PLATFORMS: (props.platforms ?? ['linux/amd64', 'linux/arm64']).join(','),
            BUILD_CONTEXT: props.contextDir ?? packageRoot(),
          },
        },
      ],
    });
    build.addOverride('triggers_replace', [props.repositoryUrl, props.tag]);
  }
}

/**
 * POSIX sh, one line without `${`: cdktf writes a provisioner command into HCL as a quoted string,
 * escaping its quotes only when it holds no interpolation and breaking it when it holds a newline.
 * Skips an existing tag, else logs in to the registry, builds every platform and pushes.
 */
export const NODE_MANAGER_BUILD_SCRIPT = [
  'set -eu;',
  'if aws ecr describe-images --region "$AWS_REGION" --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$IMAGE_TAG" >/dev/null 2>&1;',
  'then echo "node-manager image $REPOSITORY_URL:$IMAGE_TAG is already published";',
  'else aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$REGISTRY"',
  '&& docker buildx build --platform "$PLATFORMS" --provenance=false -f "$BUILD_CONTEXT/images/node-manager/Dockerfile" -t "$REPOSITORY_URL:$IMAGE_TAG" --push "$BUILD_CONTEXT";',
  'fi',
].join(' ');
