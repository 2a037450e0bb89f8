import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { FisExperimentTemplate } from '@cdktf/provider-aws/lib/fis-experiment-template';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { IEksCluster } from '../../cluster/cluster-reference';
import { policyDocument } from '../../iam/policy';
import { physicalName } from '../../naming';
import { drillRoleStatements, fisTrustPolicy } from './drill-policy';

export const SPOT_INTERRUPTION_ACTION = 'aws:ec2:send-spot-instance-interruptions';

export interface InterruptionDrillOptions {
  /** Time from the warning to the interruption, ISO-8601, 2 to 15 minutes (FIS's range). @default 'PT2M' - what EC2 gives */
  readonly durationBeforeInterruption?: string;
  /** How many of the cluster's running spot instances: `COUNT(n)`, `PERCENT(n)` or `ALL`. @default 'COUNT(1)' */
  readonly selectionMode?: string;
  /** @default 365 */
  readonly logRetentionDays?: number;
  /** KMS key of the experiment log group. @default - CloudWatch Logs' own encryption */
  readonly logKmsKeyArn?: string;
}

export interface InterruptionDrillProps extends InterruptionDrillOptions {
  readonly cluster: IEksCluster;
  readonly namePrefix: string;
  /** The experiment stops when this alarm fires (and cannot start while it is in ALARM). */
  readonly stopAlarmArn: string;
}

/**
 * A rehearsal on demand: an FIS experiment template that sends a real spot interruption to one of
 * this cluster's running spot instances, stops if a notice gets parked, and logs to CloudWatch.
 * Nothing happens until someone runs `aws fis start-experiment`.
 */
export class InterruptionDrill extends Construct {
  readonly templateId: string;
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: InterruptionDrillProps) {
    super(scope, id);
    const duration = checkDuration(props.durationBeforeInterruption ?? 'PT2M');
    const selectionMode = checkSelection(props.selectionMode ?? 'COUNT(1)');
    const name = (suffix: string, max: number) => physicalName(this, props.namePrefix, suffix, max);
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const partition = new DataAwsPartition(this, 'partition').partition;
    const region = new DataAwsRegion(this, 'region').region;

    const logs = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/fis/${name('interruption-drill', 200)}`,
      retentionInDays: props.logRetentionDays ?? 365,
      kmsKeyId: props.logKmsKeyArn,
    });
    const role = new IamRole(this, 'role', { name: name('interruption-drill', 64), assumeRolePolicy: fisTrustPolicy({ partition, region, account }) });
    new IamRolePolicy(this, 'policy', {
      role: role.id,
      policy: policyDocument(drillRoleStatements({ partition, region, account, clusterTagKey: props.cluster.clusterTagKey })),
    });

    const template = new FisExperimentTemplate(this, 'template', {
      description: `Interrupt ${selectionMode} running spot instance(s) of ${props.cluster.clusterName} with ${duration} notice`,
      roleArn: role.arn,
      action: [{
        name: 'interrupt-spot-instances',
        actionId: SPOT_INTERRUPTION_ACTION,
        parameter: [{ key: 'durationBeforeInterruption', value: duration }],
        target: { key: 'SpotInstances', value: 'cluster-spot-instances' },
      }],
      target: [{
        name: 'cluster-spot-instances',
        resourceType: 'aws:ec2:spot-instance',
        selectionMode,
        resourceTag: [{ key: props.cluster.clusterTagKey, value: 'owned' }],
        filter: [{ path: 'State.Name', values: ['running'] }],
      }],
      stopCondition: [{ source: 'aws:cloudwatch:alarm', value: props.stopAlarmArn }],
      logConfiguration: {
        logSchemaVersion: 2,
        // FIS wants the log group ARN with its `:*` suffix, as the provider's `arn` attribute lacks it.
        cloudwatchLogsConfiguration: { logGroupArn: `${logs.arn}:*` },
      },
      tags: { Name: name('interruption-drill', 128) },
      dependsOn: [logs],
    });
    this.templateId = template.id;
    this.logGroupName = logs.name;
    new TerraformOutput(this, 'template-id', {
      value: template.id,
      description: 'Run the interruption drill: aws fis start-experiment --experiment-template-id <this>',
    }).overrideLogicalId('interruption_drill_template_id');
  }
}

/** ISO-8601 `PT…M`/`PT…S` between 2 and 15 minutes. */
function checkDuration(value: string): string {
  const match = /^PT(?:(\d+)M)?(?:(\d+)S)?$/.exec(value);
  const seconds = match && (match[1] || match[2]) ? Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0) : NaN;
  if (seconds >= 120 && seconds <= 900) return value;
  throw new Error(`InterruptionDrill: durationBeforeInterruption must be an ISO-8601 duration from PT2M to PT15M (e.g. 'PT2M', 'PT150S'), got '${value}'`);
}

function checkSelection(value: string): string {
  const count = /^COUNT\((\d+)\)$/.exec(value);
  const percent = /^PERCENT\((\d+)\)$/.exec(value);
  if (value === 'ALL' || (count && Number(count[1]) >= 1) || (percent && Number(percent[1]) >= 1 && Number(percent[1]) <= 100)) return value;
  throw new Error(`InterruptionDrill: selectionMode must be 'ALL', 'COUNT(n)' with n >= 1 or 'PERCENT(n)' with 1 <= n <= 100, got '${value}'`);
}
