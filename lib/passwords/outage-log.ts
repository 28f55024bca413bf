// A dependency that keeps failing is said once per interval, not once per request: a burst of sign-ups while the
// service is down writes one line, and the next line says how many failures went unlogged in between.

export interface OutageLog {
  report(problem: string): void;
}

export interface OutageLine {
  problem: string;
  /** Failures since the previous line that were not logged. */
  unlogged: number;
}

export function outageLog({ intervalMs, now, write }: { intervalMs: number; now: () => number; write: (line: OutageLine) => void }): OutageLog {
  let lastWrittenAt = Number.NEGATIVE_INFINITY;
  let unlogged = 0;
  return {
    report(problem) {
      const at = now();
      if (at - lastWrittenAt < intervalMs) {
        unlogged++;
        return;
      }
      write({ problem, unlogged });
      lastWrittenAt = at;
      unlogged = 0;
    },
  };
}
