/** A clock tests move by hand, so drains and visibility timeouts pass without real waiting. */
export interface ManualClock {
  readonly now: () => number;
  advance(ms: number): void;
}

export function manualClock(start = Date.UTC(2026, 10, 22, 11, 58)): ManualClock {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      if (!(ms >= 0)) throw new Error(`clock.advance(ms) needs a non-negative number, got ${ms}`);
      time += ms;
    },
  };
}
