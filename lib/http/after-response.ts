// Work a request starts but its response should not wait for: Next.js's `after` in the app, a runner that awaits
// in tests. Without one, the task runs detached, and a failure is logged rather than lost.

/** Runs a task after the response is sent (Next.js's `after`); tests pass one that runs it at once. */
export type AfterResponse = (task: () => Promise<void>) => void;

export const runDetached: AfterResponse = (task) => {
  void task().catch((error: unknown) => console.error("background task failed", error));
};
