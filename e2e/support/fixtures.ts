import { fileURLToPath } from "node:url";

/** Browser state of a person who signed up in e2e/auth.setup.ts and is still signed in. */
export const SIGNED_IN_STATE = fileURLToPath(new URL("../.auth/user.json", import.meta.url));
