// Runs once when the server starts. The Node.js part lives in its own module so the edge build never sees it.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { registerNodeServer } = await import("./instrumentation.node");
    registerNodeServer();
  }
}
