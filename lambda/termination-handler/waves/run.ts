/**
 * Every invocation carries one notice; the wave makes one container do the AWS work for all of them.
 *
 *   post the notice on the board ─┬─ lease won  → LEAD: take every open board entry into ONE wave,
 *                                 │                keep taking new ones while it runs, write each result
 *                                 │                back, release the lease, answer for its own notice
 *                                 └─ lease held → WAIT: poll the board; answer with the result the leader
 *                                                  wrote; lead yourself if the lease frees up first
 *
 * Nothing is lost: an entry stays on the board until a leader wrote its result, and every delivery of a
 * notice waits for that result (so a failure fails each of them, and Lambda retries them); a crashed
 * leader's lease expires and a waiting invocation takes over (the per-notice state skips what is done);
 * an invocation that runs out of time fails, and Lambda retries it. When the table cannot be reached the
 * notice is handled alone — a possible overdraw beats doing nothing.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { InterruptionNotice } from '../../../contract/interruption-notice';
import type { WaveBoard, WaveResult } from './board';
import type { DeregisterWave } from './deregister-wave';

export const POLL_MS = 250;

/** What an invocation answers when the leader did its notice. */
export interface HandledByLeader {
  readonly status: 'done' | 'duplicate' | 'refused';
  readonly noticeKey: string;
  readonly handledBy: 'wave-leader';
  readonly detail?: string;
}

/** The leader reported work left undone for this notice: fail, so Lambda retries it. */
export class WaveWorkFailedError extends Error {
  constructor(detail: string) {
    super(`the wave left work undone for this notice: ${detail}`);
    this.name = 'WaveWorkFailedError';
  }
}

/** The leader never got to this notice before the invocation's time ran out: fail, Lambda retries. */
export class WaveWaitTimeoutError extends Error {
  constructor(noticeKey: string) {
    super(`notice ${noticeKey} was not handled by the running wave before this invocation's time ran out`);
    this.name = 'WaveWaitTimeoutError';
  }
}

export interface WaveRunDeps<R extends { status: string }> {
  readonly board: WaveBoard;
  readonly newWave: () => DeregisterWave;
  /** Handles one notice inside the wave; throws when work is left undone. */
  readonly handle: (notice: InterruptionNotice, wave: DeregisterWave) => Promise<R>;
  /** Validates a notice read back from the board. */
  readonly parse: (raw: unknown) => InterruptionNotice;
  readonly keyOf: (notice: InterruptionNotice) => string;
  /** Milliseconds this invocation has left. */
  readonly remainingMs: () => number;
  /** The lease's length: renewed every third of it. */
  readonly leaseMs: number;
  readonly log: Logger;
  /** Called once per wave with the number of notices it took. */
  readonly onWaveDone?: (noticesInWave: number, wave: DeregisterWave) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A leader stops taking new notices when less than this is left; their invocations lead next. */
const LEADER_INTAKE_MARGIN_MS = 60_000;
/** Results stay on the board this long for every delivery of a notice to read, then a leader drops them. */
const RESULT_KEPT_MS = 10 * 60_000;
/** A waiting invocation gives up this long before its timeout, so Lambda sees an error, not a timeout. */
const WAIT_MARGIN_MS = 3_000;

export async function runInWave<R extends { status: string }>(notice: InterruptionNotice, deps: WaveRunDeps<R>): Promise<R | HandledByLeader> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const key = deps.keyOf(notice);
  try {
    await deps.board.post(key, { notice, postedAt: Date.now() });
  } catch (err) {
    deps.log.warn('wave board unavailable: handling this notice alone', { error: err as Error });
    return deps.handle(notice, deps.newWave());
  }
  for (;;) {
    let leading: boolean;
    try {
      leading = await deps.board.tryLead();
    } catch (err) {
      deps.log.warn('wave lease unavailable: handling this notice alone', { error: err as Error });
      return deps.handle(notice, deps.newWave());
    }
    if (leading) return lead(key, notice, deps, sleep);
    // Wait for the leader's answer, or for the lease to free up.
    const deadline = Date.now() + Math.max(0, deps.remainingMs() - WAIT_MARGIN_MS);
    for (;;) {
      await sleep(POLL_MS);
      const mine = await deps.board.entries().then((e) => e.get(key), () => undefined);
      // The entry stays: another delivery of the same notice may be reading it too. Leaders drop old results.
      if (mine?.result) return answer(key, mine.result);
      if (!mine) await deps.board.post(key, { notice, postedAt: Date.now() }).catch(() => undefined); // never drop our own entry
      if (Date.now() >= deadline) throw new WaveWaitTimeoutError(key);
      if (await deps.board.tryLead().catch(() => false)) return lead(key, notice, deps, sleep);
    }
  }
}

function answer(key: string, result: WaveResult): HandledByLeader {
  if (result.status === 'failed') throw new WaveWorkFailedError(result.detail ?? 'see the summary');
  return { status: result.status, noticeKey: key, handledBy: 'wave-leader', ...(result.detail ? { detail: result.detail } : {}) };
}

async function lead<R extends { status: string }>(
  myKey: string,
  myNotice: InterruptionNotice,
  deps: WaveRunDeps<R>,
  sleep: (ms: number) => Promise<void>,
): Promise<R> {
  const wave = deps.newWave();
  const started = new Map<string, Promise<void>>();
  let mine: { ok: true; value: R } | { ok: false; error: unknown } | undefined;
  let leaseHeld = true;
  const renewEvery = Math.max(1000, Math.floor(deps.leaseMs / 3));
  const renewer = setInterval(() => {
    void deps.board.renew().then((ok) => {
      if (!ok && leaseHeld) deps.log.warn('wave lease lost: taking no new notices');
      leaseHeld &&= ok;
    });
  }, renewEvery);

  const start = (key: string, notice: InterruptionNotice) => {
    started.set(key, deps.handle(notice, wave).then(
      async (value) => {
        if (key === myKey) mine = { ok: true, value };
        else await post(key, notice, { status: toStatus(value.status), at: Date.now() });
      },
      async (error: unknown) => {
        if (key === myKey) mine = { ok: false, error };
        else await post(key, notice, { status: 'failed', detail: (error as Error)?.message ?? String(error), at: Date.now() });
      },
    ));
  };
  const post = (key: string, notice: InterruptionNotice, result: WaveResult) =>
    deps.board.post(key, { notice, result }).catch((err: unknown) => deps.log.error('could not post a wave result; its invocation will retry', { key, error: err as Error }));

  try {
    start(myKey, myNotice);
    for (;;) {
      const taking = leaseHeld && deps.remainingMs() > LEADER_INTAKE_MARGIN_MS;
      if (taking) {
        const entries = await deps.board.entries().catch(() => new Map());
        for (const [key, entry] of entries) {
          if (entry.result && Date.now() - entry.result.at > RESULT_KEPT_MS) void deps.board.remove(key).catch(() => undefined);
          if (entry.result || started.has(key)) continue;
          let notice: InterruptionNotice;
          try {
            notice = deps.parse(entry.notice);
          } catch {
            continue; // not a notice: its invocation rejected it already; never acted on
          }
          if (deps.keyOf(notice) !== key) continue;
          start(key, notice);
        }
      }
      const pending = [...started.values()];
      const allDone = await Promise.race([Promise.all(pending).then(() => true), sleep(POLL_MS).then(() => false)]);
      if (allDone && (!taking || started.size === pending.length)) {
        // One last look, so a notice posted just now joins this wave instead of waiting for the next.
        const late = taking ? [...(await deps.board.entries().catch(() => new Map())).entries()].filter(([k, e]) => !e.result && !started.has(k)) : [];
        if (!late.length) break;
      }
    }
  } finally {
    clearInterval(renewer);
    await deps.board.release();
  }
  deps.onWaveDone?.(started.size, wave);
  // Other deliveries of the leader's own notice read this result too.
  if (mine) await deps.board.post(myKey, { notice: myNotice, result: { status: mine.ok ? toStatus(mine.value.status) : 'failed', ...(mine.ok ? {} : { detail: (mine.error as Error)?.message ?? String(mine.error) }), at: Date.now() } }).catch(() => undefined);
  deps.log.info('wave finished', { notices: started.size, calls: wave.calls });
  if (!mine) throw new Error('wave ended without handling its own notice');
  if (!mine.ok) throw mine.error;
  return mine.value;
}

function toStatus(status: string): WaveResult['status'] {
  return status === 'duplicate' || status === 'refused' ? status : 'done';
}
