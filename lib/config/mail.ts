// Mail: the app's public address (every link in a mail is built on it), where mail goes, and whom it is from.
import { ConfigError, isProduction, nonEmpty, type Env } from "./env";

export interface MailConfig {
  /** The app's public origin: every link in a mail is built on it, never on a request's Host header. */
  appUrl: URL;
  /** smtp://user:pass@host:587 (or smtps://…:465); null keeps mail in the outbox unsent (docs/decisions/0008). */
  smtpUrl: string | null;
  /** The From header. */
  from: string;
}

/** Where `next dev` listens unless told otherwise: links in development mail point there. */
const DEVELOPMENT_APP_URL = "http://localhost:3000";

function appUrl(env: Env): URL {
  const raw = env.APP_URL?.trim();
  if (!raw) {
    if (isProduction(env)) {
      throw new ConfigError("APP_URL", "is not set. Set it to the address people use, e.g. https://tessera.example.com: links in mail are built on it.");
    }
    return new URL(DEVELOPMENT_APP_URL);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("APP_URL", `is not a URL (got "${raw}").`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.pathname !== "/" || url.search || url.hash || url.username) {
    throw new ConfigError("APP_URL", `must be an origin only, like https://tessera.example.com (got "${raw}").`);
  }
  return url;
}

function smtpUrl(env: Env): string | null {
  const raw = env.SMTP_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("SMTP_URL", "is not a URL: use smtp://user:password@host:587 or smtps://user:password@host:465.");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new ConfigError("SMTP_URL", `must start with smtp:// or smtps:// (got "${url.protocol}//").`);
  }
  return raw;
}

export function readMailConfig(env: Env = process.env): MailConfig {
  const url = appUrl(env);
  return { appUrl: url, smtpUrl: smtpUrl(env), from: nonEmpty(env, "MAIL_FROM", `Tessera <no-reply@${url.hostname}>`) };
}

let mailConfigCache: MailConfig | undefined;

export function mailConfig(): MailConfig {
  mailConfigCache ??= readMailConfig();
  return mailConfigCache;
}
