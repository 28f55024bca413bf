// The benchmark's measuring rules are pure logic: a wrong median or goal check would misreport every figure.
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript, run by node; no types to check
import { bootstrapInterval, checkGoal, median, ratioOf } from "../../bench/harness.mjs";

describe("bench harness", () => {
  it("takes the median of odd and even counts, whatever the order", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("takes a ratio from each round's neighbouring figures, then their median", () => {
    // Round by round: 2, 2, 10 (one noisy round); the median ignores the outlier.
    expect(ratioOf({ a: [2, 4, 50], b: [1, 2, 5] }, "a", "b")).toBe(2);
  });

  it("checks a goal of being near a value within a tolerance, on both sides", () => {
    expect(checkGoal(1.03, { near: 1, tolerance: 0.036 })).toMatchObject({ met: true, text: "1 ± 0.036", limit: 1 });
    expect(checkGoal(0.97, { near: 1, tolerance: 0.036 }).met).toBe(true);
    expect(checkGoal(1.05, { near: 1, tolerance: 0.036 }).met).toBe(false);
    expect(checkGoal(0.95, { near: 1, tolerance: 0.036 }).met).toBe(false);
  });

  it("gives no spread for values that do not vary, and a spread around the median for values that do", () => {
    expect(bootstrapInterval([5, 5, 5, 5])).toEqual([5, 5]);
    const values = Array.from({ length: 200 }, (_, i) => i % 20);
    const [low, high] = bootstrapInterval(values);
    expect(low).toBeLessThan(high);
    expect(low).toBeLessThanOrEqual(median(values));
    expect(high).toBeGreaterThanOrEqual(median(values));
  });
});
