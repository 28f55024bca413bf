// Chromium's virtual authenticator (Chrome DevTools Protocol, WebAuthn domain), for passkey stories: a platform
// authenticator with resident keys and user verification that says yes by itself. It belongs to one page.
import type { CDPSession, Page, Request } from "@playwright/test";

export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

export interface VirtualAuthenticator {
  cdp: CDPSession;
  authenticatorId: string;
  /** The passkeys it holds, private keys included (base64 PKCS#8). */
  credentials(): Promise<VirtualCredential[]>;
  /** Puts a passkey in it, copied from another authenticator: the same key, on another device. */
  addCredential(credential: VirtualCredential): Promise<void>;
}

export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  // hasResidentKey, hasUserVerification and isUserVerified default to false; the app requires all three.
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    cdp,
    authenticatorId,
    async credentials() {
      const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
      return credentials as VirtualCredential[];
    },
    async addCredential(credential) {
      await cdp.send("WebAuthn.addCredential", { authenticatorId, credential });
    },
  };
}

/**
 * Makes the page's browser report no passkey autofill (conditional mediation), as browsers without it do. The
 * virtual authenticator answers an autofill request by itself, with nobody choosing a passkey; stories about
 * the button turn autofill off so that the button, and only the button, signs in.
 */
export async function withoutPasskeyAutofill(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (typeof PublicKeyCredential !== "undefined") PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
}

/** A server action's POST, as the page sent it: where, its headers and its body, to send again. */
export interface CapturedAction {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Resolves with the first server-action POST whose body contains `marker` (a credential id, say): the browser's
 * own request, captured so a test can replay it over plain HTTP.
 */
export function captureAction(page: Page, marker: string): Promise<CapturedAction> {
  return new Promise((resolve) => {
    const onRequest = (request: Request) => {
      const body = request.postData();
      if (request.method() !== "POST" || !request.headers()["next-action"] || !body?.includes(marker)) return;
      page.off("request", onRequest);
      resolve({ url: request.url(), headers: request.headers(), body });
    };
    page.on("request", onRequest);
  });
}
