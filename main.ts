/**
 * The default spot-ready EKS platform. Config: defaults < cdktf.json "context" < SPOT_EKS_* env
 * (see README "Configuration"). `npm run synth` writes cdktf.out/stacks/{cluster,workloads}.
 */
import { App } from 'cdktf';
import { loadPlatformConfig, PlatformConfigError } from './constructs/platform/config';
import { Platform } from './constructs/platform/platform';

// cdktf records a stack trace for every token it creates; with source maps on (tsx turns them on)
// formatting those traces is a third of synth time. An error's own stack is formatted only when it
// is printed, so maps are switched back on before that and its trace still points at the .ts lines.
process.setSourceMapsEnabled(false);
try {
  const app = new App();
  new Platform(app, loadPlatformConfig((key) => app.node.tryGetContext(key)));
  app.synth();
} catch (error) {
  process.setSourceMapsEnabled(true);
  if (!(error instanceof PlatformConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
