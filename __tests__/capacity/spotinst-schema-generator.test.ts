import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const GENERATOR = join(__dirname, '../../constructs/capacity/engines/spotinst/schema/generate-schema.mjs');

/** A miniature provider source tree in the shape of terraform-provider-spotinst. */
function providerTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'spotinst-src-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const BASE: Record<string, string> = {
  'spotinst/commons/consts.go': 'package commons\n\nconst (\n\tProviderToken   FieldName = "token"\n\tProviderEnabled FieldName = "enabled"\n)\n',
  'spotinst/provider.go': `package spotinst
func Provider() *schema.Provider {
	p := &schema.Provider{
		Schema: map[string]*schema.Schema{
			string(commons.ProviderToken): { Type: schema.TypeString, Optional: true, Description: "a { brace in a string" },
			string(commons.ProviderEnabled): { Type: schema.TypeBool, Optional: true, Default: true },
		},
		ResourcesMap: map[string]*schema.Resource{},
	}
	return p
}
`,
  'spotinst/resource_spotinst_ocean_aws.go': 'package spotinst\nfunc setup() {\n\tocean_aws.Setup(fieldsMap)\n}\n',
  'spotinst/resource_spotinst_ocean_aws_launch_spec.go': 'package spotinst\nfunc setup() {\n\tocean_aws_launch_spec.Setup(fieldsMap)\n}\n',
  'spotinst/ocean_aws/consts.go': `package ocean_aws
const (
	Name     commons.FieldName = "name"
	Whitelist commons.FieldName = "whitelist"
	Filters  commons.FieldName = "filters"
	MinVcpu  commons.FieldName = "min_vcpu"
	Archs    commons.FieldName = "architectures"
)
`,
  'spotinst/ocean_aws/fields_spotinst_ocean_aws.go': `package ocean_aws
// fieldsMap[Fake] = commons.NewGenericField( in a comment is not a field
func Setup(fieldsMap map[commons.FieldName]*commons.GenericField) {
	fieldsMap[Name] = commons.NewGenericField(commons.OceanAWS, Name,
		&schema.Schema{
			Type:     schema.TypeString,
			Required: true,
			DiffSuppressFunc: func(k, old, new string, d *schema.ResourceData) bool { return old == "}" },
		},
		func(resourceObject interface{}) error { return nil },
		nil, nil, nil,
	)
	fieldsMap[Whitelist] = commons.NewGenericField(commons.OceanAWS, Whitelist,
		&schema.Schema{Type: schema.TypeList, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
		nil, nil, nil, nil,
	)
	fieldsMap[Filters] = commons.NewGenericField(commons.OceanAWS, Filters,
		&schema.Schema{
			Type: schema.TypeList, Optional: true, MaxItems: 1,
			ConflictsWith: []string{string(Whitelist)},
			Elem: &schema.Resource{
				Schema: map[string]*schema.Schema{
					string(MinVcpu): {Type: schema.TypeInt, Optional: true, Default: -1},
					string(Archs):   {Type: schema.TypeSet, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
					"computed_only": {Type: schema.TypeString, Computed: true},
				},
			},
		},
		nil, nil, nil, nil,
	)
}
`,
  'spotinst/ocean_aws_launch_spec/consts.go': 'package ocean_aws_launch_spec\n\nconst OceanID commons.FieldName = "ocean_id"\n',
  'spotinst/ocean_aws_launch_spec/fields_spotinst_ocean_aws_launch_spec.go': `package ocean_aws_launch_spec
func Setup(fieldsMap map[commons.FieldName]*commons.GenericField) {
	fieldsMap[OceanID] = commons.NewGenericField(commons.OceanAWSLaunchSpec, OceanID, &schema.Schema{Type: schema.TypeString, Required: true}, nil, nil, nil, nil)
}
`,
};

function generate(files: Record<string, string>) {
  const src = providerTree(files);
  const out = join(src, 'schema.json');
  const run = spawnSync(process.execPath, [GENERATOR, '--src', src, '--release', 'v9.9.9', '--out', out], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr, schema: run.status === 0 ? JSON.parse(readFileSync(out, 'utf8')) : undefined };
}

describe('generate-schema.mjs on provider-shaped Go source', () => {
  it('reads names from constants, types, required/optional, MaxItems, ConflictsWith, defaults and nested blocks', () => {
    const { status, stderr, schema } = generate(BASE);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(schema.release).toBe('v9.9.9');
    expect(schema.provider).toEqual({ enabled: { type: 'bool', optional: true, default: true }, token: { type: 'string', optional: true } });
    expect(schema.resources.spotinst_ocean_aws).toEqual({
      filters: {
        type: 'list',
        optional: true,
        maxItems: 1,
        conflictsWith: ['whitelist'],
        elem: {
          block: {
            architectures: { type: 'set', optional: true, elem: { type: 'string' } },
            computed_only: { type: 'string', computed: true },
            min_vcpu: { type: 'int', optional: true, default: -1 },
          },
        },
      },
      name: { type: 'string', required: true },
      whitelist: { type: 'list', optional: true, elem: { type: 'string' } },
    });
    expect(schema.resources.spotinst_ocean_aws_launch_spec).toEqual({ ocean_id: { type: 'string', required: true } });
  });

  it('fails loudly on a schema key it does not know, naming the field', () => {
    const file = 'spotinst/ocean_aws_launch_spec/fields_spotinst_ocean_aws_launch_spec.go';
    const { status, stderr } = generate({ ...BASE, [file]: BASE[file].replace('Required: true', 'Required: true, ConfigMode: schema.SchemaConfigModeAttr') });
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/spotinst\/ocean_aws_launch_spec:ocean_id: ConfigMode/);
  });

  it('fails on a name constant it cannot resolve', () => {
    const file = 'spotinst/ocean_aws_launch_spec/fields_spotinst_ocean_aws_launch_spec.go';
    const { status, stderr } = generate({ ...BASE, [file]: BASE[file].replaceAll('OceanID', 'OceanIdentifier') });
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/cannot resolve the name OceanIdentifier/);
  });
});
