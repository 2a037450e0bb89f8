import { Construct } from 'constructs';
import { AssetType, TerraformAsset, TerraformOutput, Token } from 'cdktf';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { actOnProblem } from '../../contract/act-on';
import type { SignalKind } from '../../contract/interruption-notice';
import { IEksCluster } from '../cluster/cluster-reference';
import { grant, IGrantableRole } from '../iam/grantable';
import { managedPolicyArn, policyDocument, serviceTrustPolicy } from '../iam/policy';
import { physicalName } from '../naming';
import { terminationHandlerZip } from './termination-handler-code';
import { TerminationMessaging } from './termination-messaging';
import { terminationHandlerStatements } from './termination-handler-policy';
import { eventPattern, HANDLED_EVENT_KINDS } from '../../lambda/termination-handler/event-kinds';
import { terraformJson } from '../terraform-json';

/** Where the handler disables a dying host. Credentials always come from Secrets Manager. */
export type MonitoringOptions =
  | { readonly provider: 'none' }
  | { readonly provider: 'datadog'; readonly secretArn: string; /** @default 'https://api.datadoghq.com' */ readonly apiUrl?: string }
  | { readonly provider: 'mackerel'; readonly secretArn: string; /** @default 'maintenance' */ readonly action?: 'maintenance' | 'retire' }
  | { readonly provider: 'webhook'; readonly secretArn: string; readonly url: string };

/** The monitoring secret's KMS key, if any; rejected when there is no secret or it is no key ARN. */
function monitoringSecretKey(monitoring: MonitoringOptions, keyArn: string | undefined): string | undefined {
  if (keyArn === undefined) return undefined;
  if (monitoring.provider === 'none') throw new Error('TerminationHandlerProps.monitoringSecretKmsKeyArn is set but monitoring.provider is "none": there is no secret to decrypt; remove it or configure a monitoring provider');
  if (!Token.isUnresolved(keyArn) && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(keyArn)) {
    throw new Error(`TerminationHandlerProps.monitoringSecretKmsKeyArn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-… (got ${JSON.stringify(keyArn)}); an alias ARN cannot be scoped in IAM`);
  }
  return keyArn;
}

/** The EventBridge event kinds the handler also receives, node-independently: one rule each. */
export { HANDLED_EVENT_KINDS, type HandledEventKind } from '../../lambda/termination-handler/event-kinds';

/** The function's timeout (s): a wave's leader must outlive the wave it leads. */
const FUNCTION_TIMEOUT_SECONDS = 180;

export interface TerminationHandlerProps {
  /** The cluster whose instances the handler may touch (they must carry its tag). */
  readonly cluster: IEksCluster;
  /** Prefix of every physical name. @default - the cluster name */
  readonly namePrefix?: string;
  /** @default { provider: 'none' } */
  readonly monitoring?: MonitoringOptions;
  /**
   * The customer-managed KMS key that encrypts the monitoring secret: the handler gets `kms:Decrypt`
   * on it, only through Secrets Manager and only for that secret (encryption context `SecretARN`).
   * @default - none: the secret uses the AWS-managed key `aws/secretsmanager`, which needs no grant
   */
  readonly monitoringSecretKmsKeyArn?: string;
  /** E-mail subscribers of the summary topic. @default [] */
  readonly notificationEmails?: string[];
  /** Egress of the quarantine group: `all` lets the node finish in-flight work. @default 'all' */
  readonly quarantineEgress?: 'all' | 'none';
  /** @default 365 */
  readonly logRetentionDays?: number;
  /** KMS key for the function's log group. @default - CloudWatch Logs' own encryption */
  readonly logKmsKeyArn?: string;
  /**
   * Reserved concurrency. Every delivery of a notice waits in its own invocation while one container
   * does the AWS work for the whole wave (the API rate never grows with it), so size it for the largest
   * reclaim you expect, twice (node-manager and EventBridge both deliver). @default 100
   */
  readonly reservedConcurrency?: number;
  /**
   * Share (0–0.95) of each AWS API rate-limit bucket (ELBv2 Describe*, Register/DeregisterTargets, EC2
   * per action) the handler leaves to other clients of the account, the AWS Load Balancer Controller
   * first: its burst and starting rate are the documented limits less this share; its rate grows toward
   * the documented refill only while AWS accepts. @default 0.25
   */
  readonly apiReservedShare?: number;
  /**
   * Which target groups a dying node is looked for in. `vpc` reads every group of its VPC (finds groups
   * made by anything). `cluster-tag` reads only the groups the AWS Load Balancer Controller tagged
   * `elbv2.k8s.aws/cluster: <cluster>` plus `extraTargetGroupArns`: far fewer API calls in a shared VPC.
   * @default 'vpc'
   */
  readonly targetGroupDiscovery?: 'vpc' | 'cluster-tag';
  /** Groups made outside the controller, always read with `cluster-tag` discovery. @default [] */
  readonly extraTargetGroupArns?: string[];
  /**
   * Also receive AWS's own events of every kind in `HANDLED_EVENT_KINDS` (spot warning, rebalance,
   * state change, capacity-reservation warning, ASG termination lifecycle action, AWS Health scheduled
   * changes for EC2), one EventBridge rule per kind. @default true
   */
  readonly eventBridgeRules?: boolean;
  /**
   * Signals of EventBridge-delivered events that are acted on (the instance taken out of service);
   * the others are reported only. The same list as node-manager's `actOn` (which governs the
   * daemon's notices): both default to `DEFAULT_ACT_ON` of contract/act-on.ts, and the platform
   * passes its one `actOn` to both.
   * @default ['spot-interruption', 'asg-termination', 'instance-state-change']
   */
  readonly eventActOn?: SignalKind[];
  /**
   * Bundle the handler from the package's sources at synth (needs esbuild and the handler's
   * dependencies installed) instead of using the prebuilt zip the package ships. Also set by the
   * environment variable `SPOT_EKS_BUNDLE_FROM_SOURCE=1`.
   * @default false
   */
  readonly bundleFromSource?: boolean;
}

/**
 * The termination Lambda and everything around it: the prebuilt zip (or bundled from source; Node 22, arm64),
 * least-privilege role, summary topic, quarantine group, dedup table, async invoke config (2
 * retries, 300 s max age) with an on-failure queue, reserved concurrency, tracing, EventBridge rules.
 */
export class TerminationHandler extends Construct {
  readonly functionArn: string;
  readonly functionName: string;
  readonly topicArn: string;
  readonly topicKeyArn: string;
  readonly failureQueueArn: string;
  readonly failureQueueUrl: string;
  readonly failureQueueName: string;
  readonly quarantineSecurityGroupId: string;
  readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: TerminationHandlerProps) {
    super(scope, id);
    const { cluster } = props;
    const prefix = (this.namePrefix = props.namePrefix ?? cluster.clusterName);
    const name = (suffix: string, max: number) => physicalName(this, prefix, suffix, max);
    const monitoring = props.monitoring ?? { provider: 'none' };
    const actOnWrong = props.eventActOn && actOnProblem(props.eventActOn);
    if (actOnWrong) {
      throw new Error(`${this.node.path}: eventActOn ${actOnWrong}. Fix: list known signal kinds (the same list as NodeManager actOn).`);
    }
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const partition = new DataAwsPartition(this, 'partition').partition;
    const region = new DataAwsRegion(this, 'region').region;
    const functionName = name('termination-handler', 64);
    const share = props.apiReservedShare ?? 0.25;
    if (!(share >= 0 && share <= 0.95)) throw new Error(`TerminationHandler apiReservedShare must be a share from 0 to 0.95 (e.g. 0.25), got ${share}`);

    const messaging = new TerminationMessaging(this, 'messaging', {
      topicName: name('interruptions', 256),
      queueName: name('termination-failures', 80),
      emails: props.notificationEmails,
    });
    const quarantine = new SecurityGroup(this, 'quarantine', {
      name: name('quarantine', 255),
      description: 'Quarantine for interrupted nodes: no ingress',
      vpcId: cluster.vpcId,
      ingress: [],
      egress: (props.quarantineEgress ?? 'all') === 'all'
        ? [{ description: 'Let the node finish in-flight work', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }]
        : [],
      tags: { Name: name('quarantine', 255) },
    });
    const table = new DynamodbTable(this, 'state', {
      name: name('termination-state', 255),
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'pk',
      attribute: [{ name: 'pk', type: 'S' }],
      ttl: { attributeName: 'expiresAt', enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: messaging.keyArn },
      pointInTimeRecovery: { enabled: true },
    });
    const logs = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: props.logRetentionDays ?? 365,
      kmsKeyId: props.logKmsKeyArn,
    });

    const role = new IamRole(this, 'role', { name: name('termination', 64), assumeRolePolicy: serviceTrustPolicy('lambda.amazonaws.com') });
    new IamRolePolicy(this, 'policy', {
      role: role.id,
      policy: policyDocument(terminationHandlerStatements({
        partition, region, account,
        vpcId: cluster.vpcId,
        clusterTagKey: cluster.clusterTagKey,
        quarantineSecurityGroupArn: quarantine.arn,
        topicArn: messaging.topicArn,
        topicKeyArn: messaging.keyArn,
        tableArn: table.arn,
        logGroupArn: logs.arn,
        failureQueueArn: messaging.queueArn,
        monitoringSecretArn: monitoring.provider === 'none' ? undefined : monitoring.secretArn,
        monitoringSecretKmsKeyArn: monitoringSecretKey(monitoring, props.monitoringSecretKmsKeyArn),
      })),
    });
    // X-Ray cannot be scoped to a resource; the AWS-managed write-only policy is the narrowest.
    new IamRolePolicyAttachment(this, 'tracing', { role: role.name, policyArn: managedPolicyArn(partition, 'AWSXRayDaemonWriteAccess') });

    const asset = new TerraformAsset(this, 'code', {
      path: terminationHandlerZip(props.bundleFromSource),
      type: AssetType.FILE, // a reproducible zip, prebuilt or cached (cdktf's ARCHIVE spawns a zip process per synth)
    });
    const fn = new LambdaFunction(this, 'function', {
      functionName,
      role: role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      memorySize: 512,
      // The container leading a wave works for every node of it; others wait for it as long as this.
      timeout: FUNCTION_TIMEOUT_SECONDS,
      reservedConcurrentExecutions: props.reservedConcurrency ?? 100,
      tracingConfig: { mode: 'Active' },
      kmsKeyArn: messaging.keyArn, // environment at rest; the role may already decrypt with this key
      loggingConfig: { logFormat: 'JSON', logGroup: logs.name },
      environment: {
        variables: {
          ...this.environment(cluster, quarantine.id, messaging.topicArn, table.name, monitoring),
          ...(props.eventActOn ? { ACT_ON: props.eventActOn.join(',') } : {}),
          API_RESERVED_SHARE: String(share),
          FUNCTION_TIMEOUT_SECONDS: String(FUNCTION_TIMEOUT_SECONDS),
          ...this.discoveryEnvironment(props),
        },
      },
      dependsOn: [logs],
    });
    this.functionArn = fn.arn;
    this.functionName = fn.functionName;
    this.topicArn = messaging.topicArn;
    this.topicKeyArn = messaging.keyArn;
    this.failureQueueArn = messaging.queueArn;
    this.failureQueueUrl = messaging.queueUrl;
    this.failureQueueName = messaging.queueName;
    this.quarantineSecurityGroupId = quarantine.id;

    new LambdaFunctionEventInvokeConfig(this, 'async', {
      functionName: fn.functionName,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 300,
      destinationConfig: { onFailure: { destination: messaging.queueArn } },
    });
    if (props.eventBridgeRules ?? true) this.addEventRules(name, fn);
    new TerraformOutput(this, 'function-name', { value: fn.functionName, description: 'Termination handler function (npm run redrive -- --function <this>)' })
      .overrideLogicalId('interruption_function_name');
  }

  /** Lets `grantee` invoke the handler (node-manager's role). Only `lambda:InvokeFunction`, only this function. */
  grantInvoke(grantee: IGrantableRole): void {
    grant(grantee, `invoke-${this.node.addr.slice(0, 8)}`, [{ actions: ['lambda:InvokeFunction'], resources: [this.functionArn] }]);
  }

  private discoveryEnvironment(props: TerminationHandlerProps): Record<string, string> {
    const extra = props.extraTargetGroupArns ?? [];
    if (extra.length && props.targetGroupDiscovery !== 'cluster-tag') {
      throw new Error("TerminationHandler extraTargetGroupArns only applies with targetGroupDiscovery: 'cluster-tag' (with 'vpc' every group is read already); set both or neither");
    }
    return {
      TARGET_GROUP_DISCOVERY: props.targetGroupDiscovery ?? 'vpc',
      ...(extra.length ? { TARGET_GROUP_ARNS: extra.join(',') } : {}),
    };
  }

  private environment(cluster: IEksCluster, quarantineId: string, topicArn: string, tableName: string, m: MonitoringOptions): Record<string, string> {
    return {
      CLUSTER_NAME: cluster.clusterName,
      CLUSTER_TAG_KEY: cluster.clusterTagKey,
      QUARANTINE_SECURITY_GROUP_ID: quarantineId,
      SUMMARY_TOPIC_ARN: topicArn,
      STATE_TABLE_NAME: tableName,
      MONITORING_PROVIDER: m.provider,
      ...(m.provider === 'none' ? {} : { MONITORING_SECRET_ARN: m.secretArn }),
      ...(m.provider === 'datadog' && m.apiUrl ? { DATADOG_API_URL: m.apiUrl } : {}),
      ...(m.provider === 'mackerel' ? { MACKEREL_ACTION: m.action ?? 'maintenance' } : {}),
      ...(m.provider === 'webhook' ? { WEBHOOK_URL: m.url } : {}),
      NODE_OPTIONS: '--enable-source-maps',
    };
  }

  /** One rule per handled kind, built from the same list the handler's parser table is keyed by. */
  private addEventRules(name: (suffix: string, max: number) => string, fn: LambdaFunction): void {
    for (const kind of HANDLED_EVENT_KINDS) {
      const rule = new CloudwatchEventRule(this, `rule-${kind.id}`, {
        name: name(`interruption-${kind.id}`, 64),
        description: `${kind.description} (termination handler)`,
        eventPattern: terraformJson(eventPattern(kind)),
      });
      this.targetRule(rule, kind.id, fn);
    }
  }

  /** Where a rule delivers: the function, invoked asynchronously by EventBridge. */
  private targetRule(rule: CloudwatchEventRule, id: string, fn: LambdaFunction): void {
    new CloudwatchEventTarget(this, `target-${id}`, { rule: rule.name, arn: fn.arn });
    new LambdaPermission(this, `permission-${id}`, {
      statementId: `AllowEventBridge-${id}`,
      action: 'lambda:InvokeFunction',
      functionName: fn.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: rule.arn,
    });
  }
}
