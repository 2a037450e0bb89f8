/**
 * Synth-time checks of the tuning fields of a launch spec (or of the defaults): headroom, instance
 * profile, kubelet, extra volumes, disruption, weight, limits and the AMI release. Each problem
 * names the field, what is accepted and the fix; engines add what they cannot express.
 */
import type { AmiFamily, BlockDevice, Disruption, KubeletSettings, LaunchSpec, ReservedResources } from './launch-spec';
import { isCount, known, type Problems } from './validation-problems';

/** Go durations as Karpenter takes them (`30s`, `1m`, `720h`, `1h30m`), or `Never`. */
const DURATION = /^(([0-9]+(s|m|h))+|Never)$/;
const BUDGET_NODES = /^((100|[0-9]{1,2})%|[0-9]+)$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/;
const INSTANCE_PROFILE = /^[\w+=,.@-]{1,128}$/;
const DEVICE = /^\/dev\/(sd[b-z]|xvd[b-z][a-z]?)$/;
const AMI_VERSION = { al2023: /^(v[0-9]{8}|latest)$/, bottlerocket: /^(v?[0-9]+\.[0-9]+\.[0-9]+|latest)$/ } as const;
const VOLUME_TYPES = ['gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1'];
const REASONS = ['Empty', 'Drifted', 'Underutilized'];

export function checkTuning(spec: LaunchSpec, path: string, p: Problems): void {
  checkAmiVersion(spec.amiFamily, `${path}.amiFamily`, p);
  checkHeadroom(spec, `${path}.headroom`, p);
  if (spec.instanceProfile !== undefined && known(spec.instanceProfile) && !INSTANCE_PROFILE.test(spec.instanceProfile)) {
    p.add(`${path}.instanceProfile`, `'${spec.instanceProfile}' is not an instance profile name`, 'give the NAME (not the ARN) of an existing instance profile: 1-128 of [A-Za-z0-9+=,.@_-]');
  }
  if (spec.kubelet !== undefined) checkKubelet(spec.kubelet, `${path}.kubelet`, p);
  (spec.extraBlockDevices ?? []).forEach((d, i) => checkBlockDevice(d, `${path}.extraBlockDevices[${i}]`, p));
  const names = (spec.extraBlockDevices ?? []).map((d) => d.deviceName);
  if (new Set(names).size !== names.length) p.add(`${path}.extraBlockDevices`, 'names a device twice', 'give every volume its own deviceName');
  if (spec.disruption !== undefined) checkDisruption(spec.disruption, `${path}.disruption`, p);
  if (spec.weight !== undefined && !(Number.isInteger(spec.weight) && spec.weight >= 1 && spec.weight <= 50)) {
    p.add(`${path}.weight`, `${spec.weight} is out of range`, 'use an integer from 1 to 50 (spot pools rank at 50 + weight, above every on-demand pool)');
  }
  for (const key of ['maxVcpu', 'maxMemoryGiB'] as const) {
    const n = spec.limits?.[key];
    if (n !== undefined && !(Number.isInteger(n) && n > 0)) p.add(`${path}.limits.${key}`, `${n} is not a positive whole number`, 'give a positive integer or omit the limit');
  }
}

function checkAmiVersion(family: AmiFamily | undefined, field: string, p: Problems): void {
  if (family === undefined || family.kind === 'custom') return;
  if (family.kind !== 'al2023' && family.kind !== 'bottlerocket') return;
  if (family.version !== undefined && !AMI_VERSION[family.kind].test(family.version)) {
    const example = family.kind === 'al2023' ? "'v20260224'" : "'v1.55.0'";
    p.add(`${field}.version`, `'${family.version}' is not a ${family.kind} AMI release`, `give a release such as ${example}, or 'latest'`);
  }
  if (family.amiTags !== undefined) {
    if (family.version !== undefined) p.add(`${field}.amiTags`, 'is set together with version', 'pick your AMIs by tags OR the EKS-optimized release by version');
    if (Object.keys(family.amiTags).length === 0) p.add(`${field}.amiTags`, 'is empty (would match every AMI)', 'give at least one tag, or omit amiTags');
  }
}

function checkHeadroom(spec: LaunchSpec, field: string, p: Problems): void {
  const h = spec.headroom;
  if (h === undefined) return;
  const positive = (n: unknown) => isCount(n) && n > 0;
  if (!positive(h.cpuPerUnit)) p.add(`${field}.cpuPerUnit`, `${h.cpuPerUnit} is not a positive whole number of millicores`, 'give e.g. 500 (half a vCPU)');
  if (!positive(h.memoryPerUnit)) p.add(`${field}.memoryPerUnit`, `${h.memoryPerUnit} is not a positive whole number of MiB`, 'give e.g. 1024');
  if (!isCount(h.numOfUnits)) p.add(`${field}.numOfUnits`, `${h.numOfUnits} is not a whole number ≥ 0`, 'give how many units to keep free, e.g. 2');
  if (h.gpuPerUnit !== undefined && !isCount(h.gpuPerUnit)) p.add(`${field}.gpuPerUnit`, `${h.gpuPerUnit} is not a whole number ≥ 0`, 'give a GPU count, or omit it');
  if ((h.gpuPerUnit ?? 0) > 0 && spec.instanceSelection?.requirements?.gpus?.max === 0) {
    p.add(`${field}.gpuPerUnit`, `asks for ${h.gpuPerUnit} GPUs on nodes whose instanceSelection.requirements.gpus.max is 0`, 'put GPU headroom on a GPU launch spec');
  }
}

function checkReserved(r: ReservedResources | undefined, field: string, p: Problems): void {
  for (const [key, value] of Object.entries(r ?? {})) {
    if (!['cpu', 'memory', 'ephemeralStorage'].includes(key)) p.add(`${field}.${key}`, 'is not a reservable resource', 'use cpu, memory or ephemeralStorage');
    else if (typeof value !== 'string' || !QUANTITY.test(value)) p.add(`${field}.${key}`, `'${value}' is not a Kubernetes quantity`, "give e.g. '100m' (CPU) or '512Mi' (memory)");
  }
}

function checkKubelet(k: KubeletSettings, field: string, p: Problems): void {
  if (k.maxPods !== undefined && !(Number.isInteger(k.maxPods) && k.maxPods >= 1 && k.maxPods <= 737)) {
    p.add(`${field}.maxPods`, `${k.maxPods} is out of range`, 'use an integer from 1 to 737 (the largest ENI-based limit), or omit it for the AMI default');
  }
  checkReserved(k.kubeReserved, `${field}.kubeReserved`, p);
  checkReserved(k.systemReserved, `${field}.systemReserved`, p);
}

function checkBlockDevice(d: BlockDevice, field: string, p: Problems): void {
  if (!DEVICE.test(d.deviceName ?? '')) {
    p.add(`${field}.deviceName`, `'${d.deviceName}' is not a data device name`, "use '/dev/xvdc' … '/dev/xvdz' (xvda is the root, xvdb Bottlerocket's data volume)");
  }
  if (!(Number.isInteger(d.sizeGiB) && d.sizeGiB >= 1 && d.sizeGiB <= 16384)) p.add(`${field}.sizeGiB`, `${d.sizeGiB} GiB is out of range`, 'use a whole number from 1 to 16384');
  const type = d.volumeType ?? 'gp3';
  if (!VOLUME_TYPES.includes(type)) p.add(`${field}.volumeType`, `'${type}' is not an EBS volume type`, `use one of ${VOLUME_TYPES.join(', ')}`);
  if (d.iops !== undefined && !(['gp3', 'io1', 'io2'].includes(type) && Number.isInteger(d.iops) && d.iops >= 100 && d.iops <= 256000)) {
    p.add(`${field}.iops`, `${d.iops} IOPS does not apply to a ${type} volume`, 'set iops (100–256000) only on gp3, io1 or io2 volumes');
  }
  if (d.throughput !== undefined && !(type === 'gp3' && Number.isInteger(d.throughput) && d.throughput >= 125 && d.throughput <= 2000)) {
    p.add(`${field}.throughput`, `${d.throughput} MiB/s does not apply to a ${type} volume`, 'set throughput (125–2000) only on gp3 volumes');
  }
  if (d.kmsKeyId !== undefined && d.kmsKeyId.trim() === '') p.add(`${field}.kmsKeyId`, 'is empty', 'give a KMS key id or ARN, or omit it');
}

function checkDisruption(d: Disruption, field: string, p: Problems): void {
  if (d.consolidationPolicy !== undefined && !['WhenEmpty', 'WhenEmptyOrUnderutilized'].includes(d.consolidationPolicy)) {
    p.add(`${field}.consolidationPolicy`, `'${d.consolidationPolicy}' is not a policy`, "use 'WhenEmpty' or 'WhenEmptyOrUnderutilized'");
  }
  for (const key of ['consolidateAfter', 'expireAfter', 'terminationGracePeriod'] as const) {
    const value = d[key];
    if (value !== undefined && !DURATION.test(value)) p.add(`${field}.${key}`, `'${value}' is not a duration`, "give e.g. '30s', '10m', '720h' or 'Never'");
  }
  if (d.terminationGracePeriod === 'Never') p.add(`${field}.terminationGracePeriod`, "'Never' is not accepted", 'give a duration, or omit it for no limit');
  (d.budgets ?? []).forEach((b, i) => {
    const at = `${field}.budgets[${i}]`;
    if (!BUDGET_NODES.test(b.nodes ?? '')) p.add(`${at}.nodes`, `'${b.nodes}' is not a node count or percentage`, "give e.g. '1' or '10%'");
    if ((b.schedule === undefined) !== (b.duration === undefined)) p.add(at, 'sets only one of schedule and duration', 'give both (a window) or neither (always)');
    if (b.schedule !== undefined && b.schedule.trim().split(/\s+/).length !== 5 && !b.schedule.startsWith('@')) {
      p.add(`${at}.schedule`, `'${b.schedule}' is not a cron schedule`, "give five fields, e.g. '0 9 * * 1-5', or a macro like '@daily'");
    }
    if (b.duration !== undefined && (!DURATION.test(b.duration) || b.duration === 'Never')) p.add(`${at}.duration`, `'${b.duration}' is not a duration`, "give e.g. '8h'");
    (b.reasons ?? []).forEach((r, j) => {
      if (!REASONS.includes(r)) p.add(`${at}.reasons[${j}]`, `'${r}' is not a disruption reason`, `use ${REASONS.join(', ')}`);
    });
  });
}
