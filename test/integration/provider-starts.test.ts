// POST /auth/<provider> stores a transaction row for anyone, signed in or not: starts are counted per client address
// (PROVIDER_STARTS_PER_ADDRESS, here 5) before the row is stored, as sign-ups are. A parallel burst from one address
// hands over no more than the limit, stores no more rows, and answers the rest 429 with Retry-After.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/db.server";
import { openTransaction } from "@/lib/providers/transaction.server";
import { hashOpaqueToken } from "@/lib/tokens/opaque-tokens.server";
import { newAddress } from "../support/people";
import { newBrowser, start, TX_COOKIE } from "../support/provider-flow";

vi.mock("next/headers", async () => (await import("../support/browsers")).nextHeaders);
vi.stubEnv("PROVIDER_STARTS_PER_ADDRESS", "5");

describe("starting a provider sign-in", () => {
  it("of 20 starts at once from one address, 5 are handed to the provider and store a row; 15 get 429", async () => {
    const address = newAddress();
    const browsers = Array.from({ length: 20 }, () => newBrowser(address));
    const starts = await Promise.all(browsers.map((browser) => start(browser, "google")));
    const handedOver = starts.filter(({ response }) => response.status === 200);
    const refused = starts.filter(({ response }) => response.status === 429);
    expect(handedOver).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const { response, html, sealed } of refused) {
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(html).toContain("Too many attempts. Try again in");
      expect(sealed).toBeUndefined();
    }
    // Each handed-over start's row is stored, and refused ones wrote no transaction cookie to open a row with.
    const ids = handedOver.map(({ sealed }) => hashOpaqueToken(openTransaction("google", sealed).id));
    expect(await db.providerTransaction.count({ where: { id: { in: ids } } })).toBe(5);
    expect(browsers.filter((browser) => browser.cookieWrites.some((write) => write.name === TX_COOKIE))).toHaveLength(5);
    // Another address is not held back by this one's.
    expect((await start(newBrowser(), "google")).response.status).toBe(200);
  });
});
