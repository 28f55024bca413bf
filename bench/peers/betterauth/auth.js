// better-auth as its documentation sets it up for email and password on SQLite: sessions are rows, looked up on
// every request, unless the cookie cache is on (PEER_COOKIE_CACHE=1): then a signed copy of the session in a
// second cookie answers for up to its maxAge (its default, 5 minutes) without the database.
import Database from "better-sqlite3";
import { betterAuth } from "better-auth";
import { nextCookies } from "better-auth/next-js";

const cookieCache = process.env.PEER_COOKIE_CACHE === "1";

export const auth = betterAuth({
  database: new Database(process.env.PEER_DATABASE_FILE),
  secret: process.env.BETTER_AUTH_SECRET,
  baseURL: process.env.BETTER_AUTH_URL,
  emailAndPassword: { enabled: true },
  session: { cookieCache: { enabled: cookieCache, maxAge: 5 * 60 } },
  // The benchmark signs people up from one address; the page it measures is not an auth endpoint anyway.
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  plugins: [nextCookies()],
});
