/**
 * The first deploy from an empty account, as the README tells it: every `cdktf deploy` command of
 * README "Deploy" names every stack of its configuration, each after the stacks it depends on, and
 * what must exist before a stack is planned (the node-manager image, Karpenter's CRDs) is applied
 * by a stack earlier in that command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { loadPlatformConfig } from '../../constructs/platform/config';
import { Platform } from '../../constructs/platform/platform';
import { resources, synthApp, type TfJson } from '../support/synth';

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const deploySection = readme.slice(readme.indexOf('## Deploy\n'), readme.indexOf('\n## ', readme.indexOf('## Deploy\n') + 1));
const commands = [...deploySection.matchAll(/^\s*((?:SPOT_EKS_\w+=\S+\s+)*)npx cdktf deploy ([^\n]+)$/gm)].map((m) => ({
  env: Object.fromEntries(m[1].trim().split(/\s+/).filter(Boolean).map((kv) => kv.split('=') as [string, string])),
  stacks: m[2].trim().split(/\s+/),
}));

function platformFor(env: Record<string, string>) {
  const app = Testing.app();
  new Platform(app, loadPlatformConfig({}, env, { warn: () => undefined }));
  const tf = synthApp(app);
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  const dependencies = Object.fromEntries(stacks.map((s) => [s.node.id, s.dependencies.map((d) => (d as TerraformStack).node.id)]));
  return { tf, dependencies };
}

const stackWith = (tf: Record<string, TfJson>, type: string, match: (r: Record<string, any>) => boolean = () => true) =>
  Object.keys(tf).filter((name) => resources(tf[name], type).some(match));

describe('README "Deploy": the first deploy', () => {
  it('gives a command for the default engine and one without Karpenter', () => {
    expect(commands.map((c) => c.env.SPOT_EKS_CAPACITY_ENGINE ?? 'karpenter')).toEqual(['karpenter', 'asg']);
  });

  describe.each(commands)('npx cdktf deploy $stacks', ({ env, stacks }) => {
    const { tf, dependencies } = platformFor(env);
    const position = (stack: string) => stacks.indexOf(stack);

    it('names every stack of the app, once', () => {
      expect([...stacks].sort()).toEqual(Object.keys(tf).sort());
      expect(new Set(stacks).size).toBe(stacks.length);
    });

    it('names each stack after the stacks it depends on', () => {
      for (const [stack, needs] of Object.entries(dependencies)) {
        for (const need of needs) expect({ stack, need, before: position(need) < position(stack) }).toEqual({ stack, need, before: true });
      }
    });

    it('publishes the node-manager image in a stack applied before the DaemonSet is planned', () => {
      const [builds] = stackWith(tf, 'terraform_data', (r) => JSON.stringify(r.provisioner).includes('docker buildx build'));
      const [daemonSet] = stackWith(tf, 'kubernetes_daemon_set_v1');
      expect(position(builds)).toBeLessThan(position(daemonSet));
      const build = resources(tf[builds], 'terraform_data')[0];
      const image = resources(tf[daemonSet], 'kubernetes_daemon_set_v1')[0].spec.template.spec.container[0].image as string;
      expect(image.endsWith(`:${build.triggers_replace[1]}`)).toBe(true);
    });

    it("applies Karpenter's CRDs before the stack with its NodePools is planned", () => {
      const nodePools = stackWith(tf, 'kubernetes_manifest', (r) => r.manifest?.kind === 'NodePool');
      if (env.SPOT_EKS_CAPACITY_ENGINE && env.SPOT_EKS_CAPACITY_ENGINE !== 'karpenter') {
        expect(nodePools).toEqual([]);
        return;
      }
      const [crds] = stackWith(tf, 'helm_release', (r) => r.chart === 'karpenter-crd');
      expect(nodePools.length).toBeGreaterThan(0);
      for (const stack of nodePools) expect(position(crds)).toBeLessThan(position(stack));
      const karpenter = resources(tf[nodePools[0]], 'helm_release').find((r) => r.chart === 'karpenter');
      expect(resources(tf[crds], 'helm_release')[0].version).toBe(karpenter?.version);
    });
  });
});
