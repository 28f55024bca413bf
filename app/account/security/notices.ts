// The security page's notice for a passkey kept because it is the last way in: the action redirects with it, the
// passkeys section shows the sentence. A module of its own: a "use server" file exports only actions.
export const PASSKEY_LAST_WAY_IN = "passkey-last-way-in";
