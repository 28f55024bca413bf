// The measuring rules every figure shares, so that no figure can bend them: the sides of a comparison take
// turns (A B A B ...) so that a burst of machine noise lands on both alike, warm-up rounds are thrown away, and
// a ratio is the median of the per-round ratios (each one taken from two neighbouring rounds), never a ratio of
// figures measured minutes apart. A goal is checked and reported; a missed goal never throws.
import { performance } from "node:perf_hooks";

/** Full runs use at least this many rounds; smoke runs use fewer, since their figures are not read. */
export const MIN_ROUNDS = 5;

export function median(values) {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs each side's round in turn (the order reversed every other round), `warmup` times untimed and then
 * `rounds` times, and returns every side's per-round figures: { [name]: number[] }. A side is an async function
 * that runs one round and returns its figure (microseconds per call, requests per second, ...).
 */
export async function interleave(sides, { rounds, warmup = 1 }) {
  const names = Object.keys(sides);
  for (let round = 0; round < warmup; round++) for (const name of names) await sides[name]();
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    // A B C, then C B A: no side always goes first, or always follows the same neighbour (whose garbage, caches
    // or background work it would otherwise inherit every round).
    for (const name of round % 2 ? [...names].reverse() : names) samples[name].push(await sides[name]());
  }
  return samples;
}

/**
 * A side whose round is a number of calls of fn(i, input), its figure microseconds per call. The number is set
 * on the side's first (warm-up) round, so that a round lasts about `roundMs` whether a call costs 0.3 µs or 3 ms.
 * `prepare(calls)`, run before the clock starts, makes the round's input (a cold side's never-seen tokens). A
 * promise is awaited and a plain value is not, so a synchronous lower bound is not charged for a microtask.
 */
export function perCall(fn, { roundMs, prepare = async () => undefined }) {
  let calls;
  const timeCalls = async (count) => {
    const input = await prepare(count);
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const result = fn(i, input);
      if (result !== null && typeof result === "object" && typeof result.then === "function") await result;
    }
    return performance.now() - start;
  };
  return async () => {
    if (calls === undefined) {
      let count = 4;
      let elapsed;
      while ((elapsed = await timeCalls(count)) < roundMs / 4) count *= 2;
      calls = Math.max(1, Math.round((count * roundMs) / elapsed));
    }
    return ((await timeCalls(calls)) * 1000) / calls;
  };
}

/** The median of samples[a][i] / samples[b][i]: each round's ratio comes from two neighbouring measurements. */
export function ratioOf(samples, a, b) {
  return median(roundRatios(samples, a, b));
}

/** Each round's samples[a][i] / samples[b][i]. */
export function roundRatios(samples, a, b) {
  return samples[a].map((value, round) => value / samples[b][round]);
}

/**
 * How far `statistic` of these values could move by chance alone: the 95% interval of the statistic over
 * `resamples` bootstrap resamples (values drawn with replacement), as [low, high].
 */
export function bootstrapInterval(values, statistic = median, resamples = 2000) {
  const estimates = [];
  for (let i = 0; i < resamples; i++) {
    estimates.push(statistic(values.map(() => values[Math.floor(Math.random() * values.length)])));
  }
  estimates.sort((a, b) => a - b);
  return [estimates[Math.floor(resamples * 0.025)], estimates[Math.ceil(resamples * 0.975) - 1]];
}

/**
 * A goal on a ratio: { atMost: 1.5 }, { atLeast: 5 }, { below: 1 }, { exactly: 1 } or { near: 1, tolerance: 0.02 }
 * (met when the ratio is within the tolerance of `near`). No goal: met is null. With an `interval` (the ratio's
 * 95% bootstrap interval, [low, high]) a goal is met only when the whole interval clears it: a ratio that chance
 * alone could have put on the other side of the line has not met it.
 */
export function checkGoal(ratio, goal, interval) {
  if (!goal) return { text: "", met: null };
  const [low, high] = interval ?? [ratio, ratio];
  if ("near" in goal) {
    const within = (value) => Math.abs(value - goal.near) <= goal.tolerance;
    return { text: `${goal.near} ± ${goal.tolerance.toFixed(3)}`, met: within(low) && within(high), limit: goal.near };
  }
  if ("exactly" in goal) return { text: `= ${goal.exactly}`, met: low === goal.exactly && high === goal.exactly, limit: goal.exactly };
  if ("atMost" in goal) return { text: `≤ ${goal.atMost}`, met: high <= goal.atMost, limit: goal.atMost };
  if ("below" in goal) return { text: `< ${goal.below}`, met: high < goal.below, limit: goal.below };
  return { text: `≥ ${goal.atLeast}`, met: low >= goal.atLeast, limit: goal.atLeast };
}

/**
 * One line of the results table: `a` against `b`, their median figures and the ratio a / b, with its goal.
 * `a` and `b` are { label, value, unit }; `unit` formats the figures. `interval`, when there is one, is the
 * ratio's 95% interval, and the goal is judged on it (checkGoal).
 */
export function resultRow({ figure, label, a, b, ratio, interval, goal, note }) {
  const { text, met, limit } = checkGoal(ratio, goal, interval);
  return { figure, label, a, b, ratio, interval, goalText: text, goalLimit: limit, met, note };
}

/**
 * A row from interleaved samples: a and b are names in `samples`, with labels and the unit of their figures.
 * `interval: true` adds the 95% bootstrap interval of the median per-round ratio, and judges the goal on it: for
 * figures whose rounds scatter (requests per second on a shared machine).
 */
export function compare(samples, { figure, label, a, b, unit, goal, note, interval = false }) {
  return resultRow({
    figure,
    label,
    a: { label: a.label, value: median(samples[a.name]), unit },
    b: { label: b.label, value: median(samples[b.name]), unit },
    ratio: ratioOf(samples, a.name, b.name),
    interval: interval ? bootstrapInterval(roundRatios(samples, a.name, b.name)) : undefined,
    goal,
    note,
  });
}
