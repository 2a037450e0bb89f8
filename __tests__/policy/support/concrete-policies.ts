/**
 * Turns the synthesized (token-laden) IAM policies of the platform into the concrete documents AWS
 * would hold after apply, so a real policy evaluator can judge them: every `${…}` reference is
 * replaced by what Terraform would compute — data sources by a fixed account/region/partition,
 * resource attributes by the ARN or id AWS gives that resource type, cross-stack outputs by
 * following them into the cluster stack. An unknown reference fails loudly rather than guessing.
 */
import { parsePolicy } from '../../../policy/iam';
import type { TfJson } from '../../support/synth';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const VPC_ID = 'vpc-0a1b2c3d4e5f60718';

interface Stacks {
  readonly cluster: TfJson;
  readonly workloads: TfJson;
}

const arnOf: Record<string, (name: string, id: string) => string> = {
  aws_lambda_function: (name) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
  aws_sns_topic: (name) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`,
  aws_sqs_queue: (name) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
  aws_dynamodb_table: (name) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`,
  aws_cloudwatch_log_group: (name) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`,
  aws_kms_key: (_name, id) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${uuidFor(id)}`,
  aws_security_group: (_name, id) => `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${sgFor(id)}`,
  aws_eks_cluster: (name) => `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${name}`,
  aws_iam_role: (name) => `arn:aws:iam::${ACCOUNT}:role/${name}`,
};
const hex = (s: string, n: number) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7).toString(16).padStart(8, '0').repeat(4).slice(0, n);
const uuidFor = (id: string) => { const h = hex(id, 32); return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`; };
const sgFor = (id: string) => `sg-${hex(id, 17)}`;

export class ConcretePolicies {
  constructor(private readonly stacks: Stacks) {}

  /** `${…}` references inside `text` replaced by concrete values. */
  resolve(text: string, stack: TfJson): string {
    return text.replace(/\$\{((?:[^{}"]|"[^"]*")+)\}/g, (_, expr: string) => this.expression(expr.trim(), stack));
  }

  private expression(expr: string, stack: TfJson): string {
    const split = /^element\(split\("(.)", (.+)\), (\d+)\)$/.exec(expr);
    if (split) return this.expression(split[2], stack).split(split[1])[Number(split[3])];
    const parts = expr.split('.');
    if (parts[0] === 'data') {
      if (parts[1] === 'aws_partition') return 'aws';
      if (parts[1] === 'aws_region') return REGION;
      if (parts[1] === 'aws_caller_identity') return ACCOUNT;
      if (parts[1] === 'terraform_remote_state') {
        const output = this.stacks.cluster.output?.[parts[4]];
        if (!output) throw new Error(`no cluster output ${parts[4]}`);
        return this.resolve(output.value, this.stacks.cluster);
      }
      throw new Error(`unknown data source in \${${expr}}`);
    }
    const [type, id, attr] = parts;
    const body = stack.resource?.[type]?.[id];
    if (!body) throw new Error(`\${${expr}} names no resource of this stack`);
    const name = () => this.resolve(String(body.function_name ?? body.name ?? body.name_prefix ?? id), stack);
    if (attr === 'arn' && arnOf[type]) return arnOf[type](name(), id);
    if (attr === 'name' || attr === 'function_name') return name();
    if (attr === 'id' && type === 'aws_vpc') return VPC_ID;
    if (attr === 'id' && type === 'aws_security_group') return sgFor(id);
    if (attr === 'id' && type === 'aws_iam_role') return name();
    throw new Error(`no concrete value for \${${expr}}`);
  }

  /** Every inline policy of the role that `roleType.roleId` names, as concrete documents. */
  inlinePolicies(stack: TfJson, roleId: string): { name: string; policy: any }[] {
    return Object.entries(stack.resource?.aws_iam_role_policy ?? {})
      .filter(([, p]) => new RegExp(`^\\$\\{aws_iam_role\\.${roleId}\\.(id|name)\\}$`).test(p.role))
      .map(([id, p]) => ({ name: id, policy: JSON.parse(this.resolve(JSON.stringify(parsePolicy(p.policy)), stack)) }));
  }

  /** A role's trust policy, concrete. */
  trustPolicy(stack: TfJson, roleId: string): any {
    return JSON.parse(this.resolve(JSON.stringify(parsePolicy(stack.resource!.aws_iam_role[roleId].assume_role_policy)), stack));
  }

  /** The role's ARN, concrete. */
  roleArn(stack: TfJson, roleId: string): string {
    return this.resolve(`\${aws_iam_role.${roleId}.arn}`, stack);
  }
}

/** The logical id of the one role whose id starts with `prefix`. */
export function roleId(stack: TfJson, prefix: string): string {
  const ids = Object.keys(stack.resource?.aws_iam_role ?? {}).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one role ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0];
}
