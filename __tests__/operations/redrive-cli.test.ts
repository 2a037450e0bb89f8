/**
 * `npm run redrive` as a real process against the fakes: a SIGKILL halfway through loses nothing,
 * and the next run finishes the job.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startRedriveEnv, type RedriveEnv } from './redrive-fixtures';

const ROOT = path.resolve(__dirname, '../..');
let t: RedriveEnv;
beforeAll(async () => { t = await startRedriveEnv(); });
afterAll(() => t.close());

interface Exit { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** The script exactly as `npm run redrive` runs it (tsx), in one process so a kill is a real crash. */
function startCli(args: string[]): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/redrive.ts', ...args], {
    cwd: ROOT, env: { ...process.env, ...t.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const exit = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exit };
}

describe('npm run redrive', () => {
  it('survives a crash halfway: the next run replays every record that was not deleted, and none is lost', async () => {
    const queue = await t.park(8);
    const args = ['--queue-url', queue.url, '--function', 'demo-termination-handler', '--wait-seconds', '0', '--visibility-timeout', '60'];
    // The process dies the moment Lambda accepts the third invoke: before it can delete that record.
    const first = startCli(args);
    const removeHook = t.lambda.onInvoke(() => {
      if (t.lambda.calls.length === 2) first.child.kill('SIGKILL');
    });
    const crashed = await first.exit;
    removeHook();
    expect(crashed.signal).toBe('SIGKILL');
    expect(t.lambda.invocations).toHaveLength(3);
    expect(t.bodies(queue.name)).toHaveLength(6); // two deleted; the third was accepted but not deleted

    t.clock.advance(60_000); // the hidden records come back
    const second = await startCli(args).exit;
    expect(second.stderr).not.toContain('redrive failed');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^redrive: replayed 6, failed 0, skipped 0, dry-run 0 \(stopped: queue-empty\)$/m);
    expect(t.bodies(queue.name)).toEqual([]);

    const perNotice = new Map<string, number>();
    for (const inv of t.lambda.invocations) perNotice.set((inv.payload as any).instanceId, (perNotice.get((inv.payload as any).instanceId) ?? 0) + 1);
    expect(perNotice.size).toBe(8); // every parked notice replayed
    expect([...perNotice.values()].sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 2]); // the one caught by the crash twice: a duplicate the handler ignores
  });

  it('exits 1 when a record could not be replayed, and 2 on bad usage', async () => {
    const queue = await t.park(1);
    t.lambda.failNext(4, 'access-denied');
    const failed = await startCli(['--queue-url', queue.url, '--function', 'demo-termination-handler', '--wait-seconds', '0']).exit;
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('AccessDeniedException');
    expect(t.bodies(queue.name)).toHaveLength(1);
    const usage = await startCli(['--max', '5']).exit;
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--queue-url must be the queue URL');
  });
});
