"use server";
// Stand-ins for Tessera's server actions: the forms render the same, posting to them does nothing.
export async function signIn(previous) {
  return previous;
}

export async function signOut() {}

export async function resendConfirmationLink(previous) {
  return previous;
}
