// How resource servers authenticate to the introspection endpoint.
import { describe, expect, it } from "vitest";
import { authenticateClient, clientCredentialsOf } from "@/lib/http/client-credentials.server";
import { ApiError } from "@/lib/http/json-api.server";
import { thrown } from "../support/thrown";

const clients = new Map([["https://a.example", "a".repeat(32)], ["https://b.example", "b".repeat(32)]]);
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

describe("client credentials", () => {
  it("reads Basic (form-encoded parts, any case of the scheme) or the body, and refuses both or two client ids", () => {
    expect(clientCredentialsOf(basic("https://a.example", "p@ss:word"), {})).toEqual({ clientId: "https://a.example", secret: "p@ss:word" });
    expect(clientCredentialsOf(basic("x", "y").replace("Basic", "bAsIc"), {})).toEqual({ clientId: "x", secret: "y" });
    expect(clientCredentialsOf(null, { client_id: "x", client_secret: "y" })).toEqual({ clientId: "x", secret: "y" });
    // The body may repeat Basic's client id, no more.
    expect(clientCredentialsOf(basic("x", "y"), { client_id: "x" })).toEqual({ clientId: "x", secret: "y" });
    for (const body of [{ client_id: "x", client_secret: "y" }, { client_secret: "y" }, { client_id: "z" }, { client_id: 7 }]) {
      const error = thrown(() => clientCredentialsOf(basic("x", "y"), body), ApiError);
      expect(error, JSON.stringify(body)).toMatchObject({ status: 400, error: "invalid_request" });
    }
    for (const header of ["Basic", "Basic !!!", `Basic ${Buffer.from("no colon").toString("base64")}`, `Bearer ${"a".repeat(20)}`, `Basic ${Buffer.from("%:%").toString("base64")}`]) {
      expect(clientCredentialsOf(header, {}), header).toBeNull();
    }
  });

  it("authenticates a configured client with its own secret only", () => {
    expect(authenticateClient({ clientId: "https://a.example", secret: "a".repeat(32) }, clients)).toBe("https://a.example");
    for (const credentials of [
      null,
      { clientId: "https://a.example", secret: "b".repeat(32) },
      { clientId: "https://a.example", secret: "a".repeat(31) },
      { clientId: "https://c.example", secret: "a".repeat(32) },
    ]) {
      const error = thrown(() => authenticateClient(credentials, clients), ApiError);
      expect(error.status).toBe(401);
      expect(error.error).toBe("invalid_client");
      expect(error.headers["WWW-Authenticate"]).toMatch(/^Basic /);
    }
  });
});
