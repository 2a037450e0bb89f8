/** A literal IEksCluster for capacity tests (no EksCluster construct needed). */
import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { IEksCluster } from '../../constructs/cluster/cluster-reference';
import { literalCluster } from '../support/literal-cluster';

export const CLUSTER_NAME = 'demo';

export const cluster: IEksCluster = literalCluster(CLUSTER_NAME, '111122223333');

/** Synthesizes what `build` adds to a fresh stack and returns the parsed Terraform JSON. */
export function synth(build: (scope: Construct) => void): SynthOutput {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  build(stack);
  return JSON.parse(Testing.synth(stack)) as SynthOutput;
}

export interface SynthOutput {
  resource: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
}

/** The only resource of a type (fails loudly if there are more or none). */
export function only(out: SynthOutput, type: string): Record<string, any> {
  const all = Object.values(out.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}
