import type { TerminationHandler } from '../termination-handler';

/**
 * What the operations constructs need from a termination handler. {@link TerminationHandler}
 * satisfies it; so does a plain object for a handler deployed elsewhere.
 */
export type TerminationHandlerReference = Pick<
  TerminationHandler,
  'functionArn' | 'functionName' | 'topicArn' | 'topicKeyArn' | 'failureQueueArn' | 'failureQueueUrl' | 'failureQueueName' | 'namePrefix'
>;
