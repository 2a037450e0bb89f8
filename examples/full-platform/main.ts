/**
 * The whole platform, as the repository's main.ts builds it: a `cluster` stack (network, EKS,
 * capacity AWS side, termination pipeline) and a `workloads` stack (node-manager, controllers).
 * Config: defaults < cdktf.json "context" < CDKTF_CONTEXT_JSON < -c key=value < SPOT_EKS_* variables.
 *
 *   npx cdktf synth
 */
import { App } from 'cdktf';
import { loadPlatformConfig, Platform, runApp, type PlatformConfig } from 'spot-ready-eks';

export function build(app: App, config: PlatformConfig = loadPlatformConfig((key) => app.node.tryGetContext(key))): Platform {
  return new Platform(app, config);
}

// Context and SPOT_EKS_* variables are checked before anything is written (unknown keys included).
if (require.main === module) {
  runApp((context) => loadPlatformConfig(context.values, process.env, { contextOrigin: context.origin }), (app, config) => build(app, config));
}
