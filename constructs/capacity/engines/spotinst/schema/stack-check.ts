/**
 * Runs the schema check at synth: once per stack that holds a spotinst provider or resource, on the
 * stack's final Terraform JSON (overrides and escape hatches included), before anything is written.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { checkSynthesizedStack } from './check';
import { SPOTINST_SCHEMA } from './provider-schema';

const checkedStacks = new WeakSet<TerraformStack>();

export function checkSpotinstAtSynth(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  if (checkedStacks.has(stack)) return;
  checkedStacks.add(stack);
  stack.node.addValidation({
    validate: () =>
      checkSynthesizedStack(stack.toTerraform() as Parameters<typeof checkSynthesizedStack>[0]).map(
        (problem) => `${problem} (the spotinst provider ${SPOTINST_SCHEMA.release} schema; fix the value, or the addOverride that set it)`,
      ),
  });
}
