import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { PlatformConfigError } from '../../constructs/platform/config';
import { conditionBlocks, runApp, unquoteReferences } from '../../constructs/platform/run-app';

describe('runApp', () => {
  const saved = { outdir: process.env.CDKTF_OUTDIR, context: process.env.CDKTF_CONTEXT_JSON, argv: process.argv };
  let outdir: string;
  beforeEach(() => {
    outdir = join(mkdtempSync(join(tmpdir(), 'run-app-')), 'cdktf.out');
    process.env.CDKTF_OUTDIR = outdir;
    delete process.env.CDKTF_CONTEXT_JSON;
    process.argv = ['node', 'main.ts', '-c', 'name=from-c'];
  });
  afterEach(() => {
    process.env.CDKTF_OUTDIR = saved.outdir;
    if (saved.context === undefined) delete process.env.CDKTF_CONTEXT_JSON;
    else process.env.CDKTF_CONTEXT_JSON = saved.context;
    process.argv = saved.argv;
    process.exitCode = undefined;
  });

  it('synthesizes into the output directory, the app seeing the merged context', () => {
    runApp(
      (context) => context.values.name,
      (app, name) => {
        const stack = new TerraformStack(app, 'only');
        new TerraformOutput(stack, 'name', { value: `${name}/${app.node.tryGetContext('name')}` });
      },
    );
    expect(process.exitCode).toBeUndefined();
    expect(readdirSync(join(outdir, 'stacks'))).toEqual(['only']);
  });

  it('exits 1 without creating the output directory when the settings are bad', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    runApp(() => {
      throw new PlatformConfigError(['azCount: must be at least 2']);
    }, () => undefined);
    expect(process.exitCode).toBe(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('azCount: must be at least 2'));
    expect(existsSync(outdir)).toBe(false);
    error.mockRestore();
  });

  it('writes nothing when a construct throws during build or synth', () => {
    expect(() =>
      runApp(
        () => undefined,
        (app) => {
          new TerraformStack(app, 'half');
          throw new Error('launchSpecs[0].name: bad');
        },
      ),
    ).toThrow('launchSpecs[0].name: bad');
    expect(existsSync(outdir)).toBe(false);
  });
});

describe('unquoteReferences', () => {
  it('makes depends_on references bare and leaves other strings alone', () => {
    const hcl = 'resource "a" "b" {\nname = "x.y"\ndepends_on = [\n"aws_iam_role.r",\n"data.aws_region.r",\n]\n}';
    expect(unquoteReferences(hcl)).toBe('resource "a" "b" {\nname = "x.y"\ndepends_on = [\naws_iam_role.r,\ndata.aws_region.r,\n]\n}');
  });
});

describe('conditionBlocks', () => {
  it('turns lifecycle condition lists into one block per condition', () => {
    const hcl = 'lifecycle {\n  postcondition = [\n{\ncondition = "${(self.a == "x")}"\nerror_message = "a: not x."\n},\n{\ncondition = "${(length(b) >= 2)}"\nerror_message = "b: two."\n},\n]\n}';
    expect(conditionBlocks(hcl)).toBe(
      'lifecycle {\n  postcondition {\ncondition = "${(self.a == "x")}"\nerror_message = "a: not x."\n}\npostcondition {\ncondition = "${(length(b) >= 2)}"\nerror_message = "b: two."\n}\n}',
    );
  });
});
