/**
 * The whole platform, as the repository's main.ts builds it: a `cluster` stack (network, EKS,
 * capacity AWS side, termination pipeline) and a `workloads` stack (node-manager, controllers).
 * Config: defaults < cdktf.json "context" < SPOT_EKS_* environment variables.
 *
 *   npx cdktf synth
 */
import { App } from 'cdktf';
import { loadPlatformConfig, Platform, PlatformConfigError } from 'spot-ready-eks';

export function build(app: App): Platform {
  return new Platform(app, loadPlatformConfig((key) => app.node.tryGetContext(key)));
}

if (require.main === module) {
  const app = new App();
  try {
    build(app);
  } catch (error) {
    if (!(error instanceof PlatformConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  app.synth();
}
