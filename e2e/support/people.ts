// Test people made directly through lib/, the way sign-up and POST /api/auth/token make them: a real user, a real
// session row and a token signed with the server's own key. No form, no shared browser state.
import "./environment";
import { sessionConfig } from "../../lib/config";
import type { Role } from "../../lib/tokens/roles";
import { signSessionToken } from "../../lib/tokens/jwt";
import { openApiSession } from "../../lib/sessions/bearer.server";
import { createSession, type ClientInfo } from "../../lib/sessions/store.server";
import { amrOf, type SignInMethod } from "../../lib/tokens/sign-in-methods";
import { createUser, deleteUser, setRole } from "../../lib/users/store.server";
import { newEmail, PASSWORD } from "./users";
import { db } from "../../lib/db/db.server";

export interface PersonOptions {
  role?: Role;
  /** Normalized already (lower case, trimmed), as sign-up would store it. A fresh one by default. */
  email?: string;
  password?: string;
  /** Whether the email counts as confirmed, as after its link was opened. Yes by default. */
  emailConfirmed?: boolean;
  /**
   * How the session was made (its row's method and its tokens' amr). A password by default; two factors
   * ("password+otp") by default for an admin, since /admin opens only to those (REQUIRE_MFA_FOR_ADMINS). The
   * session is made directly: the person gets no factor of their own; set one up through /account/security.
   */
  signedInWith?: SignInMethod;
}

export interface Person {
  userId: string;
  email: string;
  password: string;
  role: Role;
}

/** A person signed in in a browser: the session sign-up would have started, and its cookie. */
export interface SignedInPerson extends Person {
  sessionId: string;
  /** The session token, the cookie's value. */
  token: string;
  /** `name=value`, ready for a Cookie header (fetch, postForm). */
  cookie: string;
  cookieName: string;
}

/** A person signed in as an API client: POST /api/auth/token's answer, and whose session it is. */
export interface ApiPerson extends Person {
  sessionId: string;
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
}

/** Shown on /account/sessions for sessions the fixtures start. */
const FIXTURE_CLIENT: ClientInfo = { userAgent: "Playwright (e2e fixture)", ipPrefix: null };

/** The user, as sign-up stores them (the password hashed), with their role set as promotion would set it. */
export async function createPerson({
  role = "user",
  email = newEmail(role),
  password = PASSWORD,
  emailConfirmed = true,
}: PersonOptions = {}): Promise<Person> {
  const user = await createUser(email, password);
  if (role !== "user") await setRole(user.id, role);
  if (emailConfirmed) await db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
  return { userId: user.id, email, password, role };
}

function signInMethodFor({ role, signedInWith }: PersonOptions): SignInMethod {
  return signedInWith ?? (role === "admin" ? "password+otp" : "password");
}

/** Sign-up without the form: a new person with a browser session, and the cookie the server would have set. */
export async function createSignedInPerson(options: PersonOptions = {}): Promise<SignedInPerson> {
  const person = await createPerson(options);
  const method = signInMethodFor(options);
  const session = await createSession({ userId: person.userId, kind: "browser", client: FIXTURE_CLIENT, method });
  const config = sessionConfig();
  const subject = { userId: person.userId, sessionId: session.id, role: person.role, authTime: session.createdAt, amr: amrOf(method) };
  const { token } = await signSessionToken(subject, config);
  return { ...person, sessionId: session.id, token, cookie: `${config.cookieName}=${token}`, cookieName: config.cookieName };
}

/** A new person holding what POST /api/auth/token answers: an "api" session, a stored refresh token, an access token. */
export async function createApiPerson(options: PersonOptions = {}): Promise<ApiPerson> {
  const person = await createPerson(options);
  // What POST /api/auth/token does once the password has checked out.
  const session = await openApiSession({ id: person.userId, role: person.role }, FIXTURE_CLIENT, undefined, signInMethodFor(options));
  return { ...person, ...session };
}

/** Deletes a person with every session and token of theirs; nothing happens when they are gone already. */
export function deletePerson(person: Pick<Person, "userId">): Promise<void> {
  return deleteUser(person.userId);
}
