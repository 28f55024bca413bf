import "server-only";
// The mail a sign-in from a new device and place sends its owner, with a "This wasn't me" link. Decided and
// queued inside the sign-in's own transaction: the mail exists exactly when the session does. "New" is judged as
// a person reads it, by the device as /account/sessions names it ("Chrome on Linux", not the browser's version
// string, which changes with every update) and the address prefix.
import { activityConfig } from "../config";
import type { Database } from "../db/client.server";
import { describeAddress } from "../http/client-info";
import { describeDevice } from "../http/devices";
import { appLink } from "../mail/links";
import { countMailSince, enqueueMail } from "../mail/outbox.server";
import { NEW_SIGN_IN_SUBJECT, newSignInMail } from "../mail/templates";
import { ACTIVITY_PATH, WASNT_ME_PATH } from "../routes";
import { issueOneTimeToken } from "../tokens/one-time-tokens.server";
import type { EventClient } from "./record.server";

type Queries = Pick<Database, "event" | "user" | "outboxMail" | "oneTimeToken" | "$executeRaw">;

/** Earlier sign-ins looked at: far more devices than a person has, and a bound on the work. */
const KNOWN_SIGN_INS_LOOKED_AT = 200;

const sameDevice = (a: EventClient, b: EventClient) => a.ipPrefix === b.ipPrefix && describeDevice(a.userAgent) === describeDevice(b.userAgent);

/**
 * After the session `sessionId` was written in `queries`' transaction: mails the owner when no other sign-in of
 * theirs within the window came from this device and place. An account's first sign-in ever has nothing to be
 * compared with and is not mailed; nor is one past NEW_SIGN_IN_MAILS_PER_HOUR. Returns whether it mailed.
 *
 * The transaction must already hold the user's row (holdUserRow), so that one sign-in at a time per account
 * decides (PostgreSQL: the row lock; SQLite holds the database's): a burst of sign-ins cannot all count the same
 * mails and all send one.
 */
export async function mailIfNewSignIn(queries: Queries, signIn: { userId: string; sessionId: string; client: EventClient; now: Date }): Promise<boolean> {
  const { userId, sessionId, client, now } = signIn;
  const config = activityConfig();
  if (config.newSignInMailsPerHour === 0) return false;
  const windowStart = new Date(now.getTime() - config.newSignInWindowDays * 86_400_000);
  // Most sign-ins come from a browser and network seen before, as they were: one indexed row answers those,
  // where the comparison below reads up to KNOWN_SIGN_INS_LOOKED_AT of them (bench/sign-in-statements.mjs).
  const seenAsIs = await queries.event.findFirst({
    where: { userId, kind: "signed-in", NOT: { sessionId }, at: { gte: windowStart }, userAgent: client.userAgent ?? null, ipPrefix: client.ipPrefix ?? null },
    select: { id: true },
  });
  if (seenAsIs) return false;
  const earlier = await queries.event.findMany({
    where: { userId, kind: "signed-in", NOT: { sessionId } },
    orderBy: { at: "desc" },
    take: KNOWN_SIGN_INS_LOOKED_AT,
    select: { userAgent: true, ipPrefix: true, at: true },
  });
  if (earlier.length === 0) return false;
  if (earlier.some((known) => known.at >= windowStart && sameDevice(known, client))) return false;
  const user = await queries.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  const hourAgo = new Date(now.getTime() - 3_600_000);
  if ((await countMailSince(user.email, NEW_SIGN_IN_SUBJECT, hourAgo, queries)) >= config.newSignInMailsPerHour) return false;
  const ttlSeconds = config.wasntMeLinkTtlSeconds;
  const { token, insert } = issueOneTimeToken({ purpose: "wasnt-me", userId, email: user.email }, ttlSeconds, now, queries);
  await insert;
  const place = describeAddress(client.ipPrefix);
  const mail = newSignInMail(
    user.email,
    { device: describeDevice(client.userAgent), place, at: now },
    appLink(WASNT_ME_PATH, { token }),
    Math.max(1, Math.round(ttlSeconds / 86_400)),
    appLink(ACTIVITY_PATH),
  );
  await enqueueMail(mail, queries);
  return true;
}
