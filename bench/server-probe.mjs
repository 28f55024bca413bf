// Preloaded into the production server under test (NODE_OPTIONS=--import): measures what only the server's own
// process can see, its event-loop delay and its peak memory, and writes them to BENCH_PROBE_DIR/<pid>.json when
// sent SIGUSR2, then starts a fresh event-loop histogram for the next phase. Each process announces itself in
// BENCH_PROBE_DIR/<pid>.pid: `next start` runs the server in a process of its own, which the bench does not
// start and could not otherwise find. Nothing here runs in the app.
// With BENCH_CPU_PROFILE_DIR set (figure 12's profile), it also keeps an inspector CPU profile of the process's
// main thread, and each SIGUSR2 writes the profile since the last one to that folder as <pid>-<n>.cpuprofile
// (before the report, so a profile is complete once its report is there) and starts a new one. (`--cpu-prof`
// would do it, but Node refuses it in NODE_OPTIONS, and writes only at exit.)
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";

const PROFILE_SAMPLING_US = 250;

const dir = process.env.BENCH_PROBE_DIR;
if (dir) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  // The file holds the process's start time (proc(5), field 22), so that a reader can tell this process from a
  // later one that reuses its pid.
  writeFileSync(join(dir, `${process.pid}.pid`), startTimeOf(readFileSync("/proc/self/stat", "utf8")));
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  let profiles = 0;
  let session;
  if (profileDir) {
    // The main thread's own session: post() calls back synchronously, so a profile is written within the signal.
    session = new Session();
    session.connect();
    session.post("Profiler.enable");
    session.post("Profiler.setSamplingInterval", { interval: PROFILE_SAMPLING_US });
    session.post("Profiler.start");
  }
  process.on("SIGUSR2", () => {
    if (session) {
      session.post("Profiler.stop", (error, result) => {
        if (!error) writeFileSync(join(profileDir, `${process.pid}-${++profiles}.cpuprofile`), JSON.stringify(result.profile));
      });
      session.post("Profiler.start");
    }
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

/** A process's start time from its /proc/<pid>/stat line, as text (field 22, after the bracketed command name). */
function startTimeOf(statLine) {
  return statLine.slice(statLine.lastIndexOf(")") + 2).split(" ")[19];
}
