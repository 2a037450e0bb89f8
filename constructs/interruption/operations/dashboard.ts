import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { physicalName } from '../../naming';
import { dashboardBody } from './dashboard-body';
import type { TerminationHandlerReference } from './handler-reference';
import { terraformJson } from '../../terraform-json';

export interface InterruptionDashboardProps {
  readonly handler: TerminationHandlerReference;
  /** Alarms for the status strip at the top. @default [] */
  readonly alarmArns?: string[];
  /** The p99 line on the latency graph; match the alarm's. @default 60000 */
  readonly noticeToDoneThresholdMs?: number;
  /** @default 60 */
  readonly periodSeconds?: number;
}

/** One CloudWatch dashboard: notices, step results, latency, targets, parked notices, the function. */
export class InterruptionDashboard extends Construct {
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: InterruptionDashboardProps) {
    super(scope, id);
    const { handler } = props;
    const dashboard = new CloudwatchDashboard(this, 'dashboard', {
      // Dashboard names allow only A-Z a-z 0-9 - _ (physicalName keeps to those).
      dashboardName: physicalName(this, handler.namePrefix, 'interruptions', 255),
      dashboardBody: terraformJson(dashboardBody({
        region: new DataAwsRegion(this, 'region').region,
        functionName: handler.functionName,
        failureQueueName: handler.failureQueueName,
        alarmArns: props.alarmArns ?? [],
        noticeToDoneThresholdMs: props.noticeToDoneThresholdMs ?? 60_000,
        periodSeconds: props.periodSeconds ?? 60,
      })),
    });
    this.dashboardName = dashboard.dashboardName;
  }
}
