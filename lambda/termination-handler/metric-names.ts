/**
 * The handler's metric names, namespace and dimensions — plain constants with no imports, so the
 * dashboard and alarms (constructs, at synth time) read them without loading Powertools.
 */
export const METRICS_NAMESPACE = 'SpotReadyEks/TerminationHandler';
export const SERVICE_NAME = 'termination-handler';

export const METRIC_NAMES = {
  NoticesReceived: 'NoticesReceived',
  /** Refused: the instance is not this cluster's, or AWS does not confirm the notice. */
  NoticesRefused: 'NoticesRefused',
  /** Of the refused, those AWS did not confirm: a forged notice, or a signal nothing confirms. */
  NoticesUnconfirmed: 'NoticesUnconfirmed',
  /** Invalid payloads (or notice times out of bounds): answered without throwing, never retried. */
  NoticesRejected: 'NoticesRejected',
  /** Well-formed events of a kind or state the handler does not act on. */
  NoticesIgnored: 'NoticesIgnored',
  DuplicatesIgnored: 'DuplicatesIgnored',
  StepSucceeded: 'StepSucceeded',
  StepFailed: 'StepFailed',
  TargetsDeregistered: 'TargetsDeregistered',
  SlowDeregistrationGroups: 'SlowDeregistrationGroups',
  NoticeToDoneMs: 'NoticeToDoneMs',
  /** From when the notice was observable to when the node's last target-group registration went. */
  NoticeToLastDeregistrationMs: 'NoticeToLastDeregistrationMs',
  /** Notices one wave handled together (one per wave, from the container that led it). */
  WaveSize: 'WaveSize',
  /** EC2 and ELBv2 calls AWS answered with Throttling / RequestLimitExceeded during an invocation. */
  ThrottledCalls: 'ThrottledCalls',
} as const;

export const METRIC_DIMENSIONS = {
  /** On NoticesReceived: `node-manager` or `eventbridge`. */
  Source: 'Source',
  /** On NoticesReceived: a SignalKind. */
  Signal: 'Signal',
  /** On StepSucceeded / StepFailed: `verify`, `deregister`, `quarantine`, `monitoring`, `notify`. */
  Step: 'Step',
} as const;
