/**
 * Replays the termination handler's parked notices: `npm run redrive -- --queue-url <url> --function <name> [--dry-run]`.
 * Records are replayed only to the function named on the command line, never to one a record names.
 * Credentials, region and endpoints come from the usual AWS environment (AWS_PROFILE, AWS_REGION,
 * AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_LAMBDA, …). Exit code: 0 done, 1 some records failed, 2 bad usage.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { parseRedriveArgs, USAGE, UsageError } from './redrive/args';
import { formatSummary, redrive } from './redrive/redrive';

async function main(): Promise<number> {
  let options;
  try {
    options = parseRedriveArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  const clients = { sqs: new SQSClient({}), lambda: new LambdaClient({}) };
  try {
    const summary = await redrive(options, clients, { log: (line) => console.log(line) });
    console.log(formatSummary(summary));
    if (options.dryRun && summary.dryRun) console.log(`dry run: nothing was invoked or deleted; the records read reappear after ${options.visibilityTimeoutSeconds ?? 60} s`);
    return summary.failed ? 1 : 0;
  } finally {
    clients.sqs.destroy();
    clients.lambda.destroy();
  }
}

main().then(
  (code) => { process.exitCode = code; },
  (err) => {
    console.error(`redrive failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    process.exitCode = 1;
  },
);
