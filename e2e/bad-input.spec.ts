// Everything a form can be sent that no real form would send: each gets a clear message or a 4xx, never a 500,
// and nothing is written.
import { expect, test } from "@playwright/test";
import { countUsers, db } from "./support/db";
import { hiddenFields, postForm, send } from "./support/forms";
import { newEmail, PASSWORD, uniqueId } from "./support/users";
import { baseURL } from "./support/server";

test.describe("Bad input to the sign-up and sign-in forms", () => {
  // Other tests sign up in parallel: "nothing was written" is checked per email, never by a total count.
  test("missing fields get messages, not errors", async () => {
    const email = newEmail("missing");
    const signUp = await postForm("/sign-up", {});
    expect(signUp.status).toBe(200);
    expect(signUp.body).toContain("Enter your email address.");
    expect(signUp.body).toContain("Enter a password.");

    const noPassword = await postForm("/sign-up", { email });
    expect(noPassword.body).toContain("Enter a password.");
    const signIn = await postForm("/sign-in", { email });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toContain("Enter your password.");
    expect(await countUsers(email)).toBe(0);
    expect(await countUsers("")).toBe(0);
  });

  test("a file where a text field belongs reads as empty", async () => {
    const email = newEmail("file");
    const form = new FormData();
    for (const [name, value] of await hiddenFields("/sign-up")) form.append(name, value);
    form.append("email", new Blob([email]), "email.txt");
    form.append("password", new Blob([PASSWORD]), "password.txt");
    const response = await send("/sign-up", form);
    expect(response.status).toBe(200);
    expect(response.body).toContain("Enter your email address.");
    expect(await countUsers(email)).toBe(0);
  });

  test("an email or a password of 100 KB gets a validation message", async () => {
    const hugeLocalPart = `${uniqueId()}${"a".repeat(100_000)}`;
    const hugeEmail = await postForm("/sign-up", { email: `${hugeLocalPart}@example.com`, password: PASSWORD });
    expect(hugeEmail.status).toBe(200);
    expect(hugeEmail.body).toContain("Enter a valid email address");

    const email = newEmail("huge");
    const hugePassword = await postForm("/sign-up", { email, password: "p".repeat(100_000) });
    expect(hugePassword.status).toBe(200);
    expect(hugePassword.body).toContain("Use at most 128 characters.");

    const hugeSignIn = await postForm("/sign-in", { email, password: "p".repeat(100_000) });
    expect(hugeSignIn.status).toBe(200);
    expect(hugeSignIn.body).toContain("Invalid email or password.");
    expect(await countUsers(email)).toBe(0);
    expect(await db.user.count({ where: { email: { startsWith: hugeLocalPart.slice(0, 26) } } })).toBe(0);
  });

  test("a 10 MB body is refused with 413 before it is parsed", async () => {
    const email = newEmail("ten-mb");
    const response = await postForm("/sign-up", { email, password: PASSWORD, filler: "x".repeat(10 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect(await countUsers(email)).toBe(0);
  });

  test("bytes that are not UTF-8 get a validation message", async () => {
    const email = newEmail("bytes");
    // After an id of this test's own, which finds what the server stored of it, if anything.
    const id = uniqueId();
    const notUtf8 = new Uint8Array([...new TextEncoder().encode(id), 0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]);
    const badEmail = await postForm("/sign-up", { email: notUtf8, password: PASSWORD });
    expect(badEmail.status).toBe(200);
    expect(badEmail.body).toContain("Enter a valid email address");

    const badPassword = await postForm("/sign-up", {
      email,
      password: new Uint8Array([...new TextEncoder().encode("long enough prefix "), 0xff, 0xfe, 0xfd]),
    });
    expect(badPassword.status).toBe(200);
    expect(badPassword.body).toContain("could not be read");
    expect(await countUsers(email)).toBe(0);
    expect(await db.user.count({ where: { email: { startsWith: id } } })).toBe(0);
  });

  test("a post that is no form of this app gets a 4xx, not a 500", async () => {
    const email = newEmail("stray");
    const noAction = new FormData();
    noAction.append("email", email);
    const plain = await send("/sign-up", noAction);
    expect(plain.status).toBe(400);

    // Next.js 16 answers an action id it does not know, sent by its router, with 409 (an older or newer deployment's
    // page), where 15 answered 404: a client error either way, and nothing runs.
    const unknownFetchAction = await send("/sign-up", noAction, undefined, { "next-action": "0".repeat(42) });
    expect(unknownFetchAction.status).toBe(409);

    const chunked = await fetch(new URL("/sign-up", baseURL), {
      method: "POST",
      body: new Blob(["x".repeat(1000)]).stream(),
      duplex: "half",
      headers: { "content-type": "multipart/form-data; boundary=x", origin: baseURL },
    } as RequestInit);
    expect(chunked.status).toBe(411);
    expect(await countUsers(email)).toBe(0);
  });
});
