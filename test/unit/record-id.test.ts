import { describe, expect, it } from "vitest";
import { isRecordId } from "@/lib/db/record-id";
import { randomId } from "@/lib/ids";

describe("isRecordId", () => {
  it("accepts the ids this app makes, and UUIDs from before them", () => {
    expect(isRecordId(randomId())).toBe(true);
    expect(isRecordId(crypto.randomUUID())).toBe(true);
  });

  it.each([[{ not: "" }], [["a"]], [null], [42], [""], ["short"], ["x".repeat(65)], ["' OR 1=1 --aaaaaaaaa"]])(
    "refuses %j",
    (value) => expect(isRecordId(value)).toBe(false),
  );
});
