/** The signal kinds of the contract; import-free, so every side (constructs included) can read them. */

/** The signals that can end (or threaten) an instance's life. */
export const SIGNAL_KINDS = [
  /** IMDS `spot/instance-action` or EventBridge `EC2 Spot Instance Interruption Warning`. */
  'spot-interruption',
  /** IMDS `events/recommendations/rebalance` or EventBridge `EC2 Instance Rebalance Recommendation`. */
  'rebalance-recommendation',
  /** IMDS `events/maintenance/scheduled`. */
  'scheduled-maintenance',
  /** IMDS `autoscaling/target-lifecycle-state` = `Terminated`, or the ASG lifecycle event. */
  'asg-termination',
  /** EventBridge `EC2 Instance State-change Notification` (stopping, stopped, shutting-down, terminated). */
  'instance-state-change',
  /** EventBridge `EC2 Capacity Reservation Instance Interruption Warning`. */
  'capacity-reservation-interruption',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];
