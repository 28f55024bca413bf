/**
 * The server under test: the production server scripts/e2e.mjs starts on a free port, or one already running that
 * E2E_BASE_URL names (`npm run dev` on http://localhost:3000), which Playwright then leaves alone.
 */
export const port = Number(process.env.E2E_PORT ?? 3100);
export const externalServer = process.env.E2E_BASE_URL !== undefined;
export const baseURL = process.env.E2E_BASE_URL ?? `http://localhost:${port}`;
