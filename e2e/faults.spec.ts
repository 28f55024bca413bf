// What the server does when its configuration or its database is not there.
import { expect, test } from "@playwright/test";
import { startServer, startServerExpectingFailure } from "./support/extra-server";
import { hiddenFields } from "./support/forms";
import { claimsFor, SESSION_COOKIE, signedToken } from "./support/session";
import { newEmail, PASSWORD } from "./support/users";

test.describe("Production start-up", () => {
  test("refuses to start without a signing secret, and names the variable", async () => {
    const { code, output } = await startServerExpectingFailure({ SESSION_SECRET: undefined });
    expect(code).not.toBe(0);
    expect(output).toContain("SESSION_SECRET");
  });

  test("refuses to start without APP_URL, which links in mail are built on, and names it", async () => {
    const { code, output } = await startServerExpectingFailure({ APP_URL: undefined });
    expect(code).not.toBe(0);
    expect(output).toContain("Tessera cannot start: APP_URL");
  });

  test("refuses a secret shorter than 256 bits", async () => {
    const { code, output } = await startServerExpectingFailure({
      SESSION_SECRET: Buffer.alloc(16, 1).toString("base64"),
    });
    expect(code).not.toBe(0);
    expect(output).toMatch(/SESSION_SECRET.*128 bits; at least 256/);
  });
});

test.describe("With the database out of reach", () => {
  test.describe.configure({ timeout: 60_000 });
  // A SQLite file in a folder that does not exist cannot be opened.
  const unreachable = { DATABASE_URL: "file:/nonexistent-tessera-dir/db.sqlite" };

  test("health answers 503, pages show a readable error, forms say nothing was saved", async () => {
    const server = await startServer(unreachable);
    try {
      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: "unavailable" });

      const token = await signedToken(claimsFor("some-user"));
      const account = await fetch(`${server.url}/account`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
      expect(account.status).toBe(503);
      expect(account.url).toBe(`${server.url}/unavailable?next=%2Faccount`);
      expect(account.headers.get("retry-after")).toBe("5");
      const page = await account.text();
      expect(page).toContain("Something went wrong on our side");
      expect(page).toContain('<a href="/account">Try again</a>');
      expect(page).not.toMatch(/at .*\.js:\d+/); // no stack trace

      const form = new FormData();
      for (const [name, value] of await hiddenFields(`${server.url}/sign-up`)) form.append(name, value);
      form.append("email", newEmail("offline"));
      form.append("password", PASSWORD);
      const signUp = await fetch(`${server.url}/sign-up`, { method: "POST", body: form, headers: { origin: server.url } });
      expect(signUp.status).toBe(200);
      expect(await signUp.text()).toContain("nothing was saved");
    } finally {
      await server.stop();
    }
  });
});
