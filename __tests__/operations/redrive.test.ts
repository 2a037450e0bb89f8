import { noticeKey, parseInterruptionNotice } from '../../contract/interruption-notice';
import { FakeAwsError } from '../fakes/aws';
import { parseRedriveArgs } from '../../scripts/redrive/args';
import { formatSummary, redrive, type RedriveOptions } from '../../scripts/redrive/redrive';
import { destinationRecord, notice, startRedriveEnv, type RedriveEnv } from './redrive-fixtures';

let t: RedriveEnv;
beforeAll(async () => { t = await startRedriveEnv(); });
afterAll(() => t.close());
beforeEach(() => { t.aws.faults.clear(); t.lambda.calls.length = 0; });

/** The stack's output, as the operator passes it. */
const FUNCTION_NAME = 'demo-termination-handler';
const run = (queueUrl: string, options: Partial<RedriveOptions> = {}) =>
  redrive({ queueUrl, functionName: FUNCTION_NAME, waitTimeSeconds: 0, visibilityTimeoutSeconds: 60, ...options }, t.clients);
/** How often each parked notice was accepted by Lambda, by instance id. */
const acceptedPerNotice = () => {
  const counts = new Map<string, number>();
  for (const inv of t.lambda.invocations) counts.set((inv.payload as any).instanceId, (counts.get((inv.payload as any).instanceId) ?? 0) + 1);
  return counts;
};

describe('redrive', () => {
  it('replays every parked record, as an async invoke of its original payload, and deletes each after the 202', async () => {
    const queue = await t.park(13); // more than one receive batch
    const summary = await run(queue.url);
    expect(summary).toMatchObject({ replayed: 13, failed: 0, skipped: 0, dryRun: 0, notDeleted: 0, stoppedBy: 'queue-empty' });
    expect(t.lambda.invocations).toHaveLength(13);
    for (const inv of t.lambda.invocations) {
      expect(inv.invocationType).toBe('Event');
      expect(inv.functionName).toBe(FUNCTION_NAME);
    }
    expect(t.lambda.invocations.map((i) => i.payload)).toEqual(Array.from({ length: 13 }, (_, i) => notice(i + 1)));
    expect(t.bodies(queue.name)).toEqual([]);
    expect(formatSummary(summary)).toMatch(/^redrive: replayed 13, failed 0, skipped 0, dry-run 0/);
  });

  it('invokes only the function it is told to, never the one a record names', async () => {
    const queue = await t.park(2);
    const summary = await run(queue.url, { functionName: 'demo-termination-handler-v2' });
    expect(t.lambda.invocations.map((i) => i.functionName)).toEqual(['demo-termination-handler-v2', 'demo-termination-handler-v2']);
    expect(summary.outcomes[0]!.note).toBe('the record names demo-termination-handler; replayed to demo-termination-handler-v2 as told');
  });

  it('keeps a record whose invoke failed; the next run, after the visibility timeout, replays it', async () => {
    const queue = await t.park(5);
    t.lambda.failNext(1, 'throttle');
    const removeHook = t.lambda.onInvoke((inv) => ((inv.payload as any).instanceId === notice(4).instanceId ? 'server-error' : undefined));
    const first = await run(queue.url);
    removeHook();
    expect(first).toMatchObject({ replayed: 3, failed: 2 });
    expect(first.outcomes.filter((o) => o.status === 'failed').map((o) => o.detail)).toEqual([
      expect.stringContaining('TooManyRequestsException'), expect.stringContaining('ServiceException'),
    ]);
    expect(t.bodies(queue.name).map((b) => JSON.parse(b).requestPayload)).toEqual([notice(1), notice(4)]);

    t.clock.advance(60_000);
    expect(await run(queue.url)).toMatchObject({ replayed: 2, failed: 0 });
    expect(t.bodies(queue.name)).toEqual([]);
    expect([...acceptedPerNotice().values()]).toEqual([1, 1, 1, 1, 1]);
  });

  it('a record replayed twice (accepted, then not deleted) reaches the handler as the same notice, which it deduplicates', async () => {
    const queue = await t.park(3);
    t.aws.faults.fail('sqs', new FakeAwsError('InternalFailure', 'injected', 500), { action: 'DeleteMessage', times: 1 });
    const first = await run(queue.url);
    expect(first).toMatchObject({ replayed: 3, notDeleted: 1 });
    expect(formatSummary(first)).toContain('1 replayed but not deleted (will replay again; the handler deduplicates)');
    expect(t.bodies(queue.name)).toHaveLength(1);

    t.clock.advance(60_000);
    expect(await run(queue.url)).toMatchObject({ replayed: 1, notDeleted: 0 });
    expect(t.bodies(queue.name)).toEqual([]);
    const [twice] = [...acceptedPerNotice()].filter(([, n]) => n === 2).map(([id]) => id);
    const copies = t.lambda.invocations.filter((i) => (i.payload as any).instanceId === twice);
    expect(copies).toHaveLength(2);
    // Byte-identical payloads: the same noticeKey, so the handler finds its own state and skips the done steps.
    expect(copies[0].body).toBe(copies[1].body);
    expect(noticeKey(parseInterruptionNotice(copies[0].payload))).toBe(noticeKey(parseInterruptionNotice(copies[1].payload)));
  });

  it('--dry-run reports every record and invokes and deletes nothing', async () => {
    const queue = await t.park(12);
    const before = t.bodies(queue.name);
    const summary = await run(queue.url, { dryRun: true });
    expect(summary).toMatchObject({ dryRun: 12, replayed: 0, failed: 0 });
    expect(summary.outcomes[0]).toMatchObject({ status: 'dry-run', functionName: FUNCTION_NAME, detail: expect.stringMatching(/^RetriesExhausted after 3 attempt\(s\): StepsFailedError/) });
    expect(t.lambda.calls).toEqual([]);
    expect(t.aws.callsTo('sqs', 'DeleteMessage').filter((c) => c.input.QueueUrl === queue.url)).toEqual([]);
    t.clock.advance(60_000);
    expect(t.bodies(queue.name)).toEqual(before);
    expect(await run(queue.url)).toMatchObject({ replayed: 12 });
  });

  it('leaves a message that is not a destination record in the queue, untouched', async () => {
    const { requestPayload: _dropped, ...withoutPayload } = destinationRecord(9);
    const queue = await t.park(1, ['not json', JSON.stringify({ hello: 'world' }), JSON.stringify(withoutPayload)]);
    const summary = await run(queue.url);
    expect(summary).toMatchObject({ replayed: 1, skipped: 3 });
    expect(summary.outcomes.filter((o) => o.status === 'skipped').map((o) => o.detail)).toEqual([
      expect.stringContaining('not JSON'), expect.stringContaining('no requestContext'), expect.stringContaining('no requestPayload'),
    ]);
    expect(t.bodies(t.aws.sqs.queues.get(queue.name)!.name)).toHaveLength(3);
  });

  it('is bounded by --max and by time, leaving the rest for the next run', async () => {
    const queue = await t.park(12);
    expect(await run(queue.url, { maxMessages: 5 })).toMatchObject({ replayed: 5, stoppedBy: 'max-messages' });
    expect(t.bodies(queue.name)).toHaveLength(7);
    let now = 0; // each record handled takes 4 s: the 10 s budget allows three
    const timed = await redrive({ queueUrl: queue.url, functionName: FUNCTION_NAME, waitTimeSeconds: 0, maxSeconds: 10 }, t.clients, { now: () => now, log: () => { now += 4_000; } });
    expect(timed).toMatchObject({ replayed: 3, stoppedBy: 'max-seconds' });
    expect(t.bodies(queue.name)).toHaveLength(4);
  });
});

describe('redrive arguments', () => {
  const url = 'https://sqs.eu-west-1.amazonaws.com/123456789012/demo-termination-failures';

  it('reads the flags', () => {
    expect(parseRedriveArgs(['--queue-url', url, '--dry-run', '--max', '20', '--function', 'f'])).toMatchObject({ queueUrl: url, dryRun: true, maxMessages: 20, functionName: 'f' });
    expect(parseRedriveArgs(['--queue-url', url, '--function', 'demo-termination-handler'])).toMatchObject({ dryRun: false, maxMessages: undefined });
  });

  it('names the flag and the fix on bad input', () => {
    expect(() => parseRedriveArgs([])).toThrow(/--queue-url must be the queue URL, e\.g\. https:\/\/sqs\./);
    expect(() => parseRedriveArgs(['--queue-url', 'demo-termination-failures'])).toThrow(/--queue-url must be the queue URL/);
    expect(() => parseRedriveArgs(['--queue-url', url])).toThrow(/--function must name the termination handler \(its name or ARN, terraform output function-name\)/);
    expect(() => parseRedriveArgs(['--queue-url', url, '--function', 'http://evil/'])).toThrow(/--function must name the termination handler/);
    expect(() => parseRedriveArgs(['--queue-url', url, '--function', 'f', '--max', '0'])).toThrow(/--max must be a whole number from 1 to 10000, got '0'/);
    expect(() => parseRedriveArgs(['--queue-url', url, '--function', 'f', '--max', 'lots'])).toThrow(/--max must be a whole number/);
    expect(() => parseRedriveArgs(['--queue-url', url, '--replay-all'])).toThrow(/replay-all/);
  });
});
