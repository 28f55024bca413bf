// Preloaded into the production server under test (NODE_OPTIONS=--import): measures what only the server's own
// process can see, its event-loop delay and its peak memory, and writes them to BENCH_PROBE_DIR/<pid>.json when
// sent SIGUSR2, then starts a fresh event-loop histogram for the next phase. Each process announces itself in
// BENCH_PROBE_DIR/<pid>.pid: `next start` runs the server in a process of its own, which the bench does not
// start and could not otherwise find. Nothing here runs in the app.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";

const dir = process.env.BENCH_PROBE_DIR;
if (dir) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  writeFileSync(join(dir, `${process.pid}.pid`), "");
  process.on("SIGUSR2", () => {
    const ms = (ns) => ns / 1e6;
    const report = {
      eventLoopDelayP99Ms: ms(delay.percentile(99)),
      eventLoopDelayMaxMs: ms(delay.max),
      rssMiB: process.memoryUsage.rss() / 2 ** 20,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(report));
    delay.reset();
  });
}
