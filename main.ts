/**
 * The default spot-ready EKS platform. Config: defaults < cdktf.json "context" < SPOT_EKS_* env
 * (see README "Configuration"). `npm run synth` writes cdktf.out/stacks/{cluster,workloads}.
 */
import { App } from 'cdktf';
import { loadPlatformConfig, PlatformConfigError } from './constructs/platform/config';
import { Platform } from './constructs/platform/platform';

const app = new App();
try {
  new Platform(app, loadPlatformConfig((key) => app.node.tryGetContext(key)));
} catch (error) {
  if (!(error instanceof PlatformConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
app.synth();
