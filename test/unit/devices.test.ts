import { describe, expect, it } from "vitest";
import { describeDevice } from "@/lib/http/devices";

// Real User-Agent strings, as these clients send them.
const DEVICES: [string, string][] = [
  ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on Linux"],
  ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on Windows"],
  ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Windows"],
  ["Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", "Firefox on Android"],
  ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", "Safari on iOS"],
  ["Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", "Safari on iOS"],
  ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", "Chrome on iOS"],
  ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari on macOS"],
  ["Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome on Android"],
  ["Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", "Samsung Internet on Android"],
  ["Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on ChromeOS"],
  ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0", "Opera on Windows"],
  // Playwright's and Puppeteer's headless Chromium say so, and so do we: it is not a person's everyday browser.
  ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.7339.16 Safari/537.36", "Headless Chrome on Linux"],
  // API clients: the tool's name, no version.
  ["curl/8.5.0", "curl"],
  ["Wget/1.21.4", "Wget"],
  ["HTTPie/3.2.4", "HTTPie"],
  ["python-requests/2.32.3", "python-requests"],
  ["axios/1.7.9", "axios"],
  ["okhttp/4.12.0", "okhttp"],
  ["MyInHouseApp/1.0 (build 42)", "MyInHouseApp"],
];

describe("describeDevice", () => {
  it.each(DEVICES)("names %s as %s", (userAgent, description) => {
    expect(describeDevice(userAgent)).toBe(description);
  });

  it("shows a client it cannot name as it wrote itself, trimmed and cut short", () => {
    expect(describeDevice("  Mozilla/5.0 (Unknown Thing)  ")).toBe("Mozilla/5.0 (Unknown Thing)");
    const long = `Mozilla/5.0 (${"x".repeat(200)})`;
    const shown = describeDevice(long);
    expect(shown).toHaveLength(60);
    expect(shown.startsWith("Mozilla/5.0 (xxx")).toBe(true);
    expect(shown.endsWith("…")).toBe(true);
  });

  it.each([null, undefined, "", "   "])("says %j is an unknown device", (userAgent) => {
    expect(describeDevice(userAgent)).toBe("Unknown device");
  });
});
