"use server";
// Stand-ins for Tessera's server actions: the forms render the same, posting to them does nothing.
export async function signIn(previous) {
  return previous;
}

export async function signOut() {}

export async function resendConfirmationLink(previous) {
  return previous;
}

export async function passkeySignInOptions() {
  return { ok: false, error: "" };
}

export async function signInWithPasskey() {
  return { ok: false, error: "" };
}
