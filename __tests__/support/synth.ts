/** Test helpers: synthesize stacks to parsed Terraform JSON and pick resources out of it. */
import { App, TerraformStack, Testing } from 'cdktf';
import { Platform } from '../../constructs/platform/platform';
import { PlatformConfigInput, validatePlatformConfig } from '../../constructs/platform/config';
import { cachedSynth } from './synth-cache';

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  output?: Record<string, any>;
  provider?: Record<string, any[]>;
  terraform?: Record<string, any>;
};

/**
 * One stack alone (no cross-stack references), validations run. The checkout's absolute path
 * (cdktf's default local state path holds it) becomes `<checkout>`, so snapshots match anywhere.
 */
export function synthJson(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack, true).split(process.cwd()).join('<checkout>'));
}

/** Every stack of an app, with cross-stack references resolved as `cdktf synth` does. */
export function synthApp(app: App): Record<string, TfJson> {
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  stacks.forEach((stack) => stack.prepareStack());
  return Object.fromEntries(stacks.map((stack) => [stack.node.id, synthJson(stack)]));
}

/** All resources of one type, by logical id. */
export function resources(tf: TfJson, type: string): Record<string, any>[] {
  return Object.values(tf.resource?.[type] ?? {});
}

/** The single resource of a type, failing loudly when there is not exactly one. */
export function only(tf: TfJson, type: string): Record<string, any> {
  const all = resources(tf, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/**
 * The default platform (optionally with config overrides), synthesized per stack — once per
 * distinct config in a whole `npm test` run, shared by every test file (see ./synth-cache.ts).
 * `platform` is a fresh, unsynthesized construct tree of the same config, built when read.
 */
export function synthPlatform(overrides: PlatformConfigInput = {}): { cluster: TfJson; workloads: TfJson; platform: Platform } {
  // Invalid overrides throw from the synth; a cached result was synthesized from valid ones.
  const stacks = cachedSynth('platform', overrides, () => synthApp(platformApp(overrides).app));
  return {
    cluster: stacks.cluster,
    workloads: stacks.workloads,
    get platform() {
      return platformApp(overrides).platform;
    },
  };
}

function platformApp(overrides: PlatformConfigInput): { app: App; platform: Platform } {
  const app = Testing.app();
  return { app, platform: new Platform(app, validatePlatformConfig(overrides)) };
}

/** Parses an IAM policy JSON string (as rendered by constructs/iam/policy.ts). */
export function statements(policy: string): { Effect: string; Action: string[] | string; Resource: string[] | string; Condition?: any }[] {
  return JSON.parse(policy).Statement;
}
