// Authenticator-app codes for the e2e stories, computed the way a phone app computes them (@oslojs/otp, RFC 6238:
// HMAC-SHA-1, 6 digits, 30 s), from the setup key the page shows or the one a test set up through lib/.
import { generateHOTP } from "@oslojs/otp";
import type { Page } from "@playwright/test";
import "./environment";
import { beginTotpSetup, confirmTotpSetup, totpStatus } from "../../lib/factors/totp.server";

const PERIOD_MS = 30_000;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function decodeBase32(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "").toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(bytes);
}

export const stepAt = (time = Date.now()) => Math.floor(time / PERIOD_MS);

export function codeAt(secret: string, step: number): string {
  return generateHOTP(decodeBase32(secret), BigInt(step), 6);
}

/**
 * A person's authenticator app: hands out codes the server has not seen yet (a code is accepted once, and never
 * one older than the last), waiting for the next 30-second step when the accepted window is used up.
 */
export class Authenticator {
  private lastStep = -Infinity;

  constructor(readonly secret: string) {}

  /** The current step's code, whether or not it was used: what a person would retype (a replay). */
  current(): string {
    return codeAt(this.secret, stepAt());
  }

  /** A code the server accepts now (the current step, or the next, one step of drift), and remembers it as used. */
  async fresh(): Promise<string> {
    for (;;) {
      const now = stepAt();
      const step = Math.max(now, this.lastStep + 1);
      if (step <= now + 1) {
        this.lastStep = step;
        return codeAt(this.secret, step);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  /** The code of the last step handed out: for replaying it. */
  last(): string {
    return codeAt(this.secret, this.lastStep);
  }

  /** A well-formed code that is wrong at any accepted step. */
  wrong(): string {
    const now = stepAt();
    const right = new Set([now - 1, now, now + 1, now + 2].map((step) => codeAt(this.secret, step)));
    for (let n = 0; ; n++) {
      const candidate = String(n).padStart(6, "0");
      if (!right.has(candidate)) return candidate;
    }
  }
}

/** Reads the setup key /account/security shows, as a person would type it into their app. */
export async function readSetupKey(page: Page): Promise<string> {
  return (await page.getByLabel("Setup key").inputValue()).replace(/\s+/g, "");
}

/** Turns the authenticator app on for a person through lib/, as the setup page does; its app and recovery codes. */
export async function enableTotp(person: { userId: string; email: string }): Promise<{ app: Authenticator; recoveryCodes: string[] }> {
  await beginTotpSetup(person.userId);
  const status = await totpStatus({ id: person.userId, email: person.email });
  if (status.state !== "setting-up") throw new Error(`no setup for ${person.email}: ${status.state}`);
  const app = new Authenticator(status.secret);
  const outcome = await confirmTotpSetup({ id: person.userId, email: person.email }, await app.fresh());
  if (!outcome.ok) throw new Error(`setup refused for ${person.email}: ${outcome.reason}`);
  return { app, recoveryCodes: outcome.recoveryCodes };
}
