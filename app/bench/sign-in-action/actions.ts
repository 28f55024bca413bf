"use server";
// The floor's work as the sign-in page's server action (./page.bench.tsx): only imported by a benchmark-only
// page, so no other build has it, and it refuses unless the server runs with BENCH_SIGN_IN_ROUTE=1.
import { notFound, redirect } from "next/navigation";
import { headers } from "next/headers";
import type { FormState } from "../../_lib/form-state";
import { floorEnabled, floorSignIn } from "../sign-in/floor.server";
import { ACCOUNT_PATH } from "@/lib/routes";

export async function signInFloor(_previous: FormState, form: FormData): Promise<FormState> {
  if (!floorEnabled()) notFound();
  const email = String(form.get("email") ?? "");
  if (!(await floorSignIn(email, String(form.get("password") ?? ""), await headers()))) {
    return { values: { email }, errors: {}, formError: "Invalid email or password." };
  }
  redirect(ACCOUNT_PATH);
}
