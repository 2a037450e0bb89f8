/**
 * The default spot-ready EKS platform. Config: defaults < cdktf.json "context" < CDKTF_CONTEXT_JSON
 * < `-c key=value` < SPOT_EKS_* env (see README "Configuration"); an unknown key or a value AWS
 * would reject fails here, before anything is written. `npm run synth` writes
 * cdktf.out/stacks/{cluster,crds,workloads} (`crds`: Karpenter's CRDs, with the karpenter engine).
 * `npm run synth` runs this file directly (`node --import tsx`, no type check, no CLI); the cdktf
 * CLI runs the same file for `cdktf deploy`/`diff` (cdktf.json "app").
 *
 * What it declares: constructs/platform/cluster-stack.ts (network, EKS, termination Lambda,
 * alarms/dashboard/drill, the node-manager image build), crds-stack.ts, workloads-stack.ts
 * (node-manager) and capacity.ts — ONE defaults object
 * and the launch specs (`launchSpecs` in the config; by default general CPU, and GPU on the NVIDIA
 * AMI with `processor: gpu` and a `nvidia.com/gpu` NoSchedule taint), rendered by the configured engine.
 */
import { loadPlatformConfig } from './constructs/platform/config';
import { runApp } from './constructs/platform/run-app';

// cdktf records a stack trace for every token it creates; with source maps on (tsx turns them on)
// formatting those traces is a third of synth time. runApp switches them back on before printing
// an error, so its trace still points at the .ts lines.
process.setSourceMapsEnabled(false);
runApp(
  (context) => loadPlatformConfig(context.values, process.env, { contextOrigin: context.origin }),
  (app, config) => {
    // The platform and the providers load only once the settings passed: a bad setting exits in
    // well under a second.
    const { Platform } = require('./constructs/platform/platform') as typeof import('./constructs/platform/platform');
    new Platform(app, config);
  },
);
