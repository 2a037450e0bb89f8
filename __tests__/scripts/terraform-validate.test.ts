/** The CI step's skip path: where terraform is missing it says so and does not fail the build, unless required. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const script = join(__dirname, '../../scripts/terraform-validate.mjs');
const withoutTerraform = { ...process.env, PATH: '/nonexistent' };

describe('scripts/terraform-validate.mjs', () => {
  it('skips with the reason where terraform is not installed', () => {
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', env: withoutTerraform });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/terraform validate skipped: terraform is not on the PATH/);
  });

  it('fails instead when REQUIRE_TERRAFORM_VALIDATE=1', () => {
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...withoutTerraform, REQUIRE_TERRAFORM_VALIDATE: '1' } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/skipped: terraform is not on the PATH/);
  });

  it('skips naming the mirror it looked in where the provider mirror is missing', () => {
    if (spawnSync('terraform', ['version']).status !== 0) return; // covered by the first case
    const run = spawnSync(process.execPath, [script, '--mirror', '/nonexistent'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/skipped: no filesystem mirror of hashicorp\/aws 5\.100\.0 \(looked in \/nonexistent;/);
  });
});
