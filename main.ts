/**
 * The default spot-ready EKS platform. Config: defaults < cdktf.json "context" < SPOT_EKS_* env
 * (see README "Configuration"). `npm run synth` runs this file directly (`node --import tsx`, no
 * type check, no CLI) and writes cdktf.out/stacks/{cluster,workloads}; the cdktf CLI runs the same
 * file for `cdktf deploy`/`diff` (cdktf.json "app").
 *
 * What it declares: constructs/platform/cluster-stack.ts (network, EKS, termination Lambda,
 * alarms/dashboard/drill), workloads-stack.ts (node-manager) and capacity.ts — ONE defaults object
 * and two light launch specs (general CPU; GPU on the NVIDIA AMI with `processor: gpu` and a
 * `nvidia.com/gpu` NoSchedule taint), rendered by the configured engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { loadPlatformConfig, PlatformConfigError } from './constructs/platform/config';
import { Platform } from './constructs/platform/platform';

// cdktf records a stack trace for every token it creates; with source maps on (tsx turns them on)
// formatting those traces is a third of synth time. An error's own stack is formatted only when it
// is printed, so maps are switched back on before that and its trace still points at the .ts lines.
process.setSourceMapsEnabled(false);
try {
  // The CLI passes cdktf.json "context" (and its -c flags) in CDKTF_CONTEXT_JSON, which wins over
  // these defaults; run directly, the app reads cdktf.json itself.
  const app = new App({ context: JSON.parse(readFileSync(join(__dirname, 'cdktf.json'), 'utf8')).context ?? {} });
  new Platform(app, loadPlatformConfig((key) => app.node.tryGetContext(key)));
  app.synth();
} catch (error) {
  process.setSourceMapsEnabled(true);
  if (!(error instanceof PlatformConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
