/** `npm run redrive -- --queue-url … --function … [--dry-run] [--max N] [--max-seconds N] [--visibility-timeout N]` */
import { parseArgs } from 'node:util';
import type { RedriveOptions } from './redrive';

export const USAGE = `usage: npm run redrive -- --queue-url <url> --function <name|arn> [--dry-run] [--max <n>] [--max-seconds <n>] [--visibility-timeout <n>]
  --queue-url           the termination handler's failure queue (terraform output, or the alarm's description)
  --function            the termination handler to invoke (terraform output function-name); the function a
                        record names is never used: a queued message does not choose what gets invoked
  --dry-run             list what would be replayed; invoke and delete nothing
  --max                 records to handle at most (default 100)
  --max-seconds         stop receiving after this long (default 300)
  --visibility-timeout  seconds a read record stays hidden; an unreplayed one reappears after it (default 60)
  --wait-seconds        long-poll per receive; an empty receive ends the run (default 2)`;

export class UsageError extends Error {}

export function parseRedriveArgs(argv: string[]): RedriveOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        'queue-url': { type: 'string' },
        function: { type: 'string' },
        'dry-run': { type: 'boolean' },
        max: { type: 'string' },
        'max-seconds': { type: 'string' },
        'visibility-timeout': { type: 'string' },
        'wait-seconds': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const queueUrl = values['queue-url'];
  if (typeof queueUrl !== 'string' || !/^https?:\/\/\S+\/\d{12}\/\S+$/.test(queueUrl)) {
    throw new UsageError(`--queue-url must be the queue URL, e.g. https://sqs.eu-west-1.amazonaws.com/123456789012/<prefix>-termination-failures; got ${queueUrl ?? 'nothing'}`);
  }
  const functionName = values.function;
  if (typeof functionName !== 'string' || !/^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/.test(functionName)) {
    throw new UsageError(`--function must name the termination handler (its name or ARN, terraform output function-name), e.g. demo-termination-handler; got ${functionName ?? 'nothing'}`);
  }
  return {
    queueUrl,
    functionName,
    dryRun: values['dry-run'] === true,
    maxMessages: integer(values, 'max', 1, 10_000),
    maxSeconds: integer(values, 'max-seconds', 1, 3_600),
    visibilityTimeoutSeconds: integer(values, 'visibility-timeout', 10, 43_200),
    waitTimeSeconds: integer(values, 'wait-seconds', 0, 20),
  };
}

function integer(values: Record<string, unknown>, flag: string, min: number, max: number): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got '${String(raw)}'`);
  return n;
}
