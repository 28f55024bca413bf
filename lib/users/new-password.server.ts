import "server-only";
// A new password (sign-up, change, reset) judged as BREACHED_PASSWORDS says: the rules, the bundled list of common
// passwords, then the breached-password corpus. When the corpus cannot be asked, the bundled list has judged alone
// and the person sees nothing different.
import type { PasswordPolicy } from "../config";
import { breachChecker, type BreachChecker } from "../passwords/breached.server";
import { breachSettings, type BreachSettings } from "../passwords/breach-settings";
import { checkNewPassword, checkPasswordRules, type Checked } from "./credentials";

export interface BreachDependencies {
  settings: BreachSettings;
  checker: () => BreachChecker;
}

const processWide: () => BreachDependencies = () => ({ settings: breachSettings(), checker: breachChecker });

/** "This password has appeared in a data breach 3,861 times. Choose another one." */
export function breachedMessage(count: number): string {
  const times = count === 1 ? "1 time" : `${count.toLocaleString("en-US")} times`;
  return `This password has appeared in a data breach ${times}. Choose another one.`;
}

/** The normalized password when it may be used, or the reason it may not, in words for the person. */
export async function vetNewPassword(
  raw: unknown,
  policy: PasswordPolicy,
  { settings, checker }: BreachDependencies = processWide(),
): Promise<Checked<string>> {
  if (settings.mode === "off") return checkPasswordRules(raw, policy);
  const checked = checkNewPassword(raw, policy);
  if (!checked.ok || settings.mode === "offline") return checked;
  const found = await checker().lookup(checked.value);
  return found.status === "breached" ? { ok: false, error: breachedMessage(found.count) } : checked;
}
