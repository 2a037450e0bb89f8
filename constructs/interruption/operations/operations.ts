import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import type { IEksCluster } from '../../cluster/cluster-reference';
import { InterruptionAlarms, type InterruptionAlarmsProps } from './alarms';
import { InterruptionDashboard } from './dashboard';
import { InterruptionDrill, type InterruptionDrillOptions } from './drill';
import type { TerminationHandlerReference } from './handler-reference';

export interface InterruptionOperationsProps {
  readonly handler: TerminationHandlerReference;
  /** The cluster whose spot instances the drill may interrupt. */
  readonly cluster: IEksCluster;
  /** @default - an own encrypted alarm topic, every threshold at its default */
  readonly alarms?: Omit<InterruptionAlarmsProps, 'handler'>;
  /** `false` leaves the drill out (FIS cannot interrupt spot instances in every region). @default - PT2M notice to COUNT(1) */
  readonly drill?: InterruptionDrillOptions | false;
}

/** Operate and rehearse the termination pipeline: alarms, a dashboard, and the interruption drill. */
export class InterruptionOperations extends Construct {
  readonly alarms: InterruptionAlarms;
  readonly dashboard: InterruptionDashboard;
  readonly drill?: InterruptionDrill;

  constructor(scope: Construct, id: string, props: InterruptionOperationsProps) {
    super(scope, id);
    const { handler, cluster } = props;
    this.alarms = new InterruptionAlarms(this, 'alarms', { handler, ...props.alarms });
    this.dashboard = new InterruptionDashboard(this, 'dashboard', {
      handler,
      alarmArns: this.alarms.alarmArns,
      noticeToDoneThresholdMs: props.alarms?.noticeToDoneP99Ms,
      periodSeconds: props.alarms?.periodSeconds,
    });
    // What the runbook's commands need, under fixed names (`terraform output -raw interruption_…`).
    new TerraformOutput(this, 'failure-queue-url', { value: handler.failureQueueUrl, description: 'Parked notices: npm run redrive -- --queue-url <this> --function <interruption_function_name>' })
      .overrideLogicalId('interruption_failure_queue_url');
    new TerraformOutput(this, 'alarm-topic-arn', { value: this.alarms.alarmTopicArn, description: 'Interruption alarms are published here' })
      .overrideLogicalId('interruption_alarm_topic_arn');
    if (props.drill !== false) {
      this.drill = new InterruptionDrill(this, 'drill', {
        cluster,
        namePrefix: handler.namePrefix,
        stopAlarmArn: this.alarms.failureQueueAlarmArn,
        ...props.drill,
      });
    }
  }
}
