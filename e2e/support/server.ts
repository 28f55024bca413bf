/** Where the production server under test listens (scripts/e2e.mjs picks a free port). */
export const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${port}`;
