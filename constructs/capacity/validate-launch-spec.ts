/**
 * Synth-time validation of launch specs. Every problem names the field (`<path>.<field>`) and the
 * fix; all problems of a spec are reported at once. Values that are cdktf tokens (known only at
 * apply time) are skipped.
 */
import { kubeletLabelProblem, labelKeyProblem, labelValueProblem, TAINT_EFFECTS } from './kubernetes-syntax';
import { LIFECYCLE_LABEL, type InstanceRequirements, type LaunchSpec, type Taint } from './launch-spec';
import { MIME_BOUNDARY } from './user-data/mime';
import { checkTuning } from './validate-tuning';
import { isCount, known, Problems } from './validation-problems';
import { RESOLVED_LAUNCH_SPEC_SHAPE, unknownFieldProblems } from './launch-spec-keys';

const SPEC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const FAMILY = /^[a-z][a-z0-9-]*$/;
const CATEGORY = /^[a-z]+$/;
export const ROOT_VOLUME_GIB = { min: 20, max: 16384 } as const;


/** Throws one Error listing every problem of `spec`; `path` is where the spec sits in the config. */
export function validateLaunchSpec(spec: LaunchSpec, path: string): void {
  const p = new Problems();
  checkSpec(spec, path, p);
  if (p.lines.length > 0) {
    throw new Error(`Invalid launch spec '${spec?.name}' at ${path}:\n  - ${p.lines.join('\n  - ')}`);
  }
}

/** Validates each spec, then that names are unique. */
export function validateLaunchSpecs(specs: LaunchSpec[], path: string): void {
  specs.forEach((spec, i) => validateLaunchSpec(spec, `${path}[${i}]`));
  const firstIndex = new Map<string, number>();
  specs.forEach((spec, i) => {
    const first = firstIndex.get(spec.name);
    if (first !== undefined) {
      throw new Error(
        `${path}[${i}].name: '${spec.name}' is already used by ${path}[${first}]. Fix: give every launch spec a unique name.`,
      );
    }
    firstIndex.set(spec.name, i);
  });
}

function checkSpec(spec: LaunchSpec, path: string, p: Problems): void {
  p.lines.push(...unknownFieldProblems(spec, RESOLVED_LAUNCH_SPEC_SHAPE, path).map((line) => `${line}. Fix: remove it or correct its spelling.`));
  if (typeof spec?.name !== 'string' || spec.name.length > 40 || !SPEC_NAME.test(spec.name)) {
    p.add(`${path}.name`, `'${spec?.name}' is not a valid name`, 'use 1-40 lowercase letters, digits and inner "-", e.g. "gpu-spot"');
  }
  checkAmiFamily(spec, path, p);
  if (spec.architecture !== undefined && !['x86_64', 'arm64'].includes(spec.architecture)) {
    p.add(`${path}.architecture`, `'${spec.architecture}' is not supported`, "use 'x86_64' or 'arm64'");
  }
  checkLabels(spec.labels ?? {}, `${path}.labels`, p);
  checkTaints(spec.taints ?? [], `${path}.taints`, p);
  checkTaints(spec.startupTaints ?? [], `${path}.startupTaints`, p);
  checkSelection(spec, `${path}.instanceSelection`, p);
  checkCapacity(spec, `${path}.capacity`, p);
  checkRootVolume(spec, `${path}.rootVolume`, p);
  checkSizes(spec, path, p);
  checkIds(spec.subnetIds, `${path}.subnetIds`, /^subnet-[0-9a-f]+$/, 'subnet-0abc…', p);
  checkIds(spec.securityGroupIds, `${path}.securityGroupIds`, /^sg-[0-9a-f]+$/, 'sg-0abc…', p);
  checkTags(spec.tags ?? {}, `${path}.tags`, p);
  checkTuning(spec, path, p);
}

function checkAmiFamily(spec: LaunchSpec, path: string, p: Problems): void {
  const family = spec.amiFamily;
  if (family === undefined) return;
  if (family.kind === 'custom') {
    if (known(family.amiId) && !AMI_ID.test(family.amiId ?? '')) {
      p.add(`${path}.amiFamily.amiId`, `'${family.amiId}' is not an AMI id`, "give an id like 'ami-0123456789abcdef0'");
    }
  } else if (family.kind === 'al2023') {
    (family.extraUserDataParts ?? []).forEach((part, i) => {
      const field = `${path}.amiFamily.extraUserDataParts[${i}]`;
      if (!part.contentType || /[\r\n]/.test(part.contentType)) {
        p.add(`${field}.contentType`, 'must be a one-line MIME type', "e.g. 'text/x-shellscript; charset=\"us-ascii\"'");
      }
      if (part.content.includes(`--${MIME_BOUNDARY}`)) {
        p.add(`${field}.content`, `contains the MIME boundary '--${MIME_BOUNDARY}'`, 'remove that line from the part');
      }
    });
  } else if (family.kind !== 'bottlerocket') {
    p.add(`${path}.amiFamily.kind`, `'${(family as { kind: unknown }).kind}' is not supported`, "use 'al2023', 'bottlerocket' or 'custom'");
  }
}

function checkLabels(labels: Record<string, string>, field: string, p: Problems): void {
  for (const [key, value] of Object.entries(labels)) {
    const at = `${field}["${key}"]`;
    if (key === LIFECYCLE_LABEL) {
      p.add(at, `'${LIFECYCLE_LABEL}' is set from the capacity type`, `remove it; set capacity (spot or on-demand) instead`);
      continue;
    }
    const keyProblem = labelKeyProblem(key) ?? kubeletLabelProblem(key);
    if (keyProblem) p.add(at, `key: ${keyProblem}`, 'rename the label key');
    const valueProblem = known(value) ? labelValueProblem(value) : undefined;
    if (valueProblem) p.add(at, valueProblem, 'shorten or change the label value');
  }
}

function checkTaints(taints: Taint[], field: string, p: Problems): void {
  const seen = new Set<string>();
  taints.forEach((taint, i) => {
    const at = `${field}[${i}]`;
    const keyProblem = labelKeyProblem(taint.key ?? '');
    if (keyProblem) p.add(`${at}.key`, keyProblem, 'use a label-style key such as "example.com/dedicated"');
    const valueProblem = labelValueProblem(taint.value ?? '');
    if (valueProblem) p.add(`${at}.value`, valueProblem, 'shorten or change the taint value');
    if (!(TAINT_EFFECTS as readonly string[]).includes(taint.effect)) {
      p.add(`${at}.effect`, `'${taint.effect}' is not a taint effect`, `use one of ${TAINT_EFFECTS.join(', ')}`);
    }
    const identity = `${taint.key}:${taint.effect}`;
    if (seen.has(identity)) p.add(at, `duplicate taint ${identity}`, 'keep one taint per key and effect');
    seen.add(identity);
  });
}

function checkSelection(spec: LaunchSpec, field: string, p: Problems): void {
  const selection = spec.instanceSelection;
  if (selection === undefined) return;
  if (selection.instanceTypes !== undefined && selection.requirements !== undefined) {
    p.add(field, 'both instanceTypes and requirements are set (conflicting selection modes)', 'set either instanceTypes or requirements, not both');
  }
  const types = selection.instanceTypes;
  if (types !== undefined) {
    if (types.length === 0) p.add(`${field}.instanceTypes`, 'is empty', "list at least one type, e.g. ['m7i.large'], or omit it");
    types.forEach((t, i) => {
      if (!INSTANCE_TYPE.test(t)) p.add(`${field}.instanceTypes[${i}]`, `'${t}' is not an instance type`, "use '<family>.<size>', e.g. 'm7i.large'");
    });
    if (new Set(types).size !== types.length) p.add(`${field}.instanceTypes`, 'lists a type twice', 'remove the duplicates');
  }
  if (selection.requirements !== undefined) checkRequirements(selection.requirements, `${field}.requirements`, p);
}

function checkRequirements(r: InstanceRequirements, field: string, p: Problems): void {
  for (const key of ['vcpu', 'memoryMiB', 'gpus'] as const) {
    const range = r[key];
    if (range === undefined) continue;
    for (const end of ['min', 'max'] as const) {
      const n = range[end];
      if (n !== undefined && !isCount(n)) p.add(`${field}.${key}.${end}`, `${n} is not a whole number ≥ 0`, 'use a non-negative integer');
    }
    if (key === 'gpus' && range.max === 0 && isCount(range.min) && range.min > 0) {
      p.add(`${field}.gpus.max`, `0 allows no GPUs while gpus.min asks for ${range.min}`, 'raise gpus.max to at least gpus.min, or drop gpus.min for CPU-only nodes');
    } else if (isCount(range.min) && isCount(range.max) && range.min > range.max) {
      p.add(`${field}.${key}`, `min ${range.min} is greater than max ${range.max}`, 'make min ≤ max');
    }
  }
  (r.categories ?? []).forEach((c, i) => {
    if (!CATEGORY.test(c)) p.add(`${field}.categories[${i}]`, `'${c}' is not an instance category`, "use the letters before the generation, e.g. 'c', 'm', 'r'");
  });
  for (const key of ['includeFamilies', 'excludeFamilies'] as const) {
    (r[key] ?? []).forEach((f, i) => {
      if (!FAMILY.test(f)) p.add(`${field}.${key}[${i}]`, `'${f}' is not an instance family`, "use a family such as 'm7i' (no size)");
    });
  }
  const both = (r.includeFamilies ?? []).filter((f) => (r.excludeFamilies ?? []).includes(f));
  if (both.length > 0) p.add(`${field}.excludeFamilies`, `${both.join(', ')} also in includeFamilies`, 'list a family in one of the two only');
}

function checkCapacity(spec: LaunchSpec, field: string, p: Problems): void {
  const capacity = spec.capacity;
  if (capacity === undefined) return;
  if (!['spot', 'on-demand', 'spot-with-fallback'].includes(capacity.type)) {
    p.add(`${field}.type`, `'${capacity.type}' is not a capacity type`, "use 'spot', 'on-demand' or 'spot-with-fallback'");
    return;
  }
  if (capacity.type !== 'spot-with-fallback') return;
  const base = capacity.onDemandBase;
  if (base !== undefined && known(base) && !isCount(base)) p.add(`${field}.onDemandBase`, `${base} is not a whole number ≥ 0`, 'use a non-negative integer');
  const pct = capacity.onDemandPercentageAboveBase;
  if (pct !== undefined && known(pct) && !(isCount(pct) && pct <= 100)) {
    p.add(`${field}.onDemandPercentageAboveBase`, `${pct} is not a percentage`, 'use an integer from 0 to 100');
  }
}

function checkRootVolume(spec: LaunchSpec, field: string, p: Problems): void {
  const size = spec.rootVolume?.sizeGiB;
  if (size !== undefined && known(size) && !(Number.isInteger(size) && size >= ROOT_VOLUME_GIB.min && size <= ROOT_VOLUME_GIB.max)) {
    p.add(`${field}.sizeGiB`, `${size} GiB is out of range`, `use a whole number of GiB from ${ROOT_VOLUME_GIB.min} to ${ROOT_VOLUME_GIB.max}`);
  }
  if (spec.rootVolume?.kmsKeyId !== undefined && spec.rootVolume.kmsKeyId.trim() === '') {
    p.add(`${field}.kmsKeyId`, 'is empty', 'give a KMS key id or ARN, or omit it for the AWS-managed key');
  }
}

function checkSizes(spec: LaunchSpec, path: string, p: Problems): void {
  const { minSize, maxSize } = spec;
  if (minSize !== undefined && known(minSize) && !isCount(minSize)) p.add(`${path}.minSize`, `${minSize} is not a whole number ≥ 0`, 'use a non-negative integer');
  if (maxSize !== undefined && known(maxSize) && !isCount(maxSize)) p.add(`${path}.maxSize`, `${maxSize} is not a whole number ≥ 0`, 'use a non-negative integer');
  const min = minSize ?? 0;
  const max = maxSize ?? 10;
  if (isCount(min) && isCount(max) && known(min) && known(max) && min > max) {
    const hint = maxSize === undefined ? ' (maxSize defaults to 10)' : '';
    p.add(`${path}.minSize`, `${min} is greater than maxSize ${max}${hint}`, 'make minSize ≤ maxSize');
  }
}

function checkIds(ids: string[] | undefined, field: string, pattern: RegExp, example: string, p: Problems): void {
  if (ids === undefined || !known(ids)) return;
  if (ids.length === 0) p.add(field, 'is empty', 'list at least one id, or omit it to use the cluster default');
  ids.forEach((id, i) => {
    if (known(id) && !pattern.test(id)) p.add(`${field}[${i}]`, `'${id}' is not a valid id`, `use an id like '${example}'`);
  });
}

function checkTags(tags: Record<string, string>, field: string, p: Problems): void {
  for (const [key, value] of Object.entries(tags)) {
    const at = `${field}["${key}"]`;
    if (key.length === 0 || key.length > 128) p.add(at, 'tag key must be 1-128 characters', 'shorten the key');
    if (key.toLowerCase().startsWith('aws:')) p.add(at, "the 'aws:' prefix is reserved for AWS", 'choose another key');
    if (known(value) && value.length > 256) p.add(at, 'tag value is longer than 256 characters', 'shorten the value');
  }
}
