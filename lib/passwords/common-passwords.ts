// The most common passwords (about 49,000, from zxcvbn-ts's offline list, ordered by frequency): refused at
// sign-up and password change, as NIST SP 800-63B-4 asks. Shipped inside an npm package: nothing is fetched.
import { dictionary } from "@zxcvbn-ts/language-common";

let common: Set<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"]);
  return common.has(password.toLowerCase());
}
