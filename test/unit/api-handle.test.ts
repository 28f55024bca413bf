// What an API route answers when its work throws: the caller learns whether to retry, and never a detail.
import { describe, expect, it, vi } from "vitest";
import { ApiError, handle } from "@/lib/http/json-api.server";
import { DatabaseUnavailableError } from "@/lib/db/db.server";
import { PasswordHasherBusyError } from "@/lib/passwords/hashing.server";

const answer = async (error: unknown) => {
  const response = await handle(async () => {
    throw error;
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
};

describe("handle", () => {
  vi.spyOn(console, "error").mockImplementation(() => undefined);

  it("answers an ApiError as itself", async () => {
    expect(await answer(new ApiError(401, "invalid_grant", "no"))).toEqual({
      status: 401,
      retryAfter: null,
      body: { error: "invalid_grant", error_description: "no" },
    });
  });

  it("answers a bug of ours with 500 and no details", async () => {
    const { status, retryAfter, body } = await answer(new TypeError("secret internals at lib/x.ts:12"));
    expect({ status, retryAfter, error: body.error }).toEqual({ status: 500, retryAfter: null, error: "server_error" });
    expect(JSON.stringify(body)).not.toContain("secret internals");
  });

  it("answers a database failure with 503 and a time to retry", async () => {
    const { status, retryAfter, body } = await answer(new DatabaseUnavailableError({ cause: new Error("ECONNREFUSED") }));
    expect({ status, retryAfter, error: body.error }).toEqual({ status: 503, retryAfter: "5", error: "temporarily_unavailable" });
  });

  it("answers a full password-hash queue with 503 and Retry-After: 1", async () => {
    const { status, retryAfter, body } = await answer(new PasswordHasherBusyError());
    expect({ status, retryAfter, error: body.error }).toEqual({ status: 503, retryAfter: "1", error: "temporarily_unavailable" });
  });
});
