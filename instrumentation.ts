// Runs once when the server starts. A production server with a missing or weak signing secret refuses to
// start, naming the variable to set, instead of failing on the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ConfigError, passwordPolicy, sessionConfig } = await import("./lib/config");
  try {
    sessionConfig();
    passwordPolicy();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Tessera cannot start: ${error.message}`);
    process.exit(1);
  }
}
