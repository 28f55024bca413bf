// A server action called from a test: where its redirect() sent the browser, or what it returned. Next.js throws
// redirects as errors whose digest carries the location.
export type ActionOutcome<T> = { state: T; redirect: null } | { state: null; redirect: string };

export async function runAction<T>(action: () => Promise<T>): Promise<ActionOutcome<T>> {
  try {
    return { state: await action(), redirect: null };
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest !== "string" || !digest.startsWith("NEXT_REDIRECT")) throw error;
    return { state: null, redirect: digest.split(";").slice(2, -2).join(";") };
  }
}
