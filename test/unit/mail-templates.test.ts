import { describe, expect, it } from "vitest";
import {
  emailChangeConfirmationMail,
  emailChangeNoticeMail,
  emailConfirmationMail,
  emailInUseMail,
  passwordChangedMail,
  newSignInMail,
  passkeyAddedMail,
  passkeyRemovedMail,
  passwordResetMail,
  providerConnectedMail,
  providerDisconnectedMail,
  type MailMessage,
} from "@/lib/mail/templates";

const link = new URL("https://tessera.example.com/reset-password#token=abc_DEF-123&x=1");
const hostile = `"<script>alert(1)</script>'&<img src=x onerror=alert(2)>"@example.com`;
const hostileNew = `<b onmouseover="alert(3)">new</b>@example.com`;

const every: [string, (to: string) => MailMessage, URL | null][] = [
  ["password reset", (to) => passwordResetMail(to, link, 30), link],
  ["password changed", (to) => passwordChangedMail(to, new URL("https://tessera.example.com/forgot-password")), new URL("https://tessera.example.com/forgot-password")],
  ["email confirmation", (to) => emailConfirmationMail(to, link, 24), link],
  ["email change confirmation", (to) => emailChangeConfirmationMail(to, link, 24), link],
  ["email change notice", (to) => emailChangeNoticeMail(to, hostileNew), null],
  ["email in use", (to) => emailInUseMail(to), null],
  ["passkey added", (to) => passkeyAddedMail(to, hostileNew, link), link],
  ["passkey removed", (to) => passkeyRemovedMail(to, hostileNew, link), link],
  ["provider connected", (to) => providerConnectedMail(to, hostileNew, link), link],
  ["provider disconnected", (to) => providerDisconnectedMail(to, hostileNew, link), link],
];

/** Every tag of an HTML part: what a mail client would act on, as opposed to text. */
const tagsIn = (html: string) => html.match(/<[^>]*>/g) ?? [];
const ALLOWED_TAGS = new Set(["!doctype", "html", "head", "meta", "title", "body", "p", "a", "br", "span"]);
const ALLOWED_ATTRIBUTES = new Set(["lang", "charset", "name", "content", "style", "href"]);

/** Every URL an HTML part refers to, in an attribute or as text. */
const urlsIn = (html: string) => [...html.matchAll(/(?:https?:)?\/\/[^\s"'<>]+/g)].map((m) => m[0].replace(/&amp;/g, "&"));

describe("mail templates", () => {
  it("use the subjects the flows and the tests look for", () => {
    expect(passwordResetMail("a@example.com", link, 30).subject).toBe("Reset your Tessera password");
    expect(passwordChangedMail("a@example.com", link).subject).toBe("Your Tessera password was changed");
    expect(emailConfirmationMail("a@example.com", link, 24).subject).toBe("Confirm your email");
    expect(emailChangeConfirmationMail("a@example.com", link, 24).subject).toBe("Confirm your new email");
    expect(emailChangeNoticeMail("a@example.com", "b@example.com").subject).toBe("Your Tessera email is being changed");
  });

  for (const [name, make, expected] of every) {
    describe(name, () => {
      const mail = make(hostile);

      it("is addressed to its recipient and escapes whatever an address holds in the HTML part", () => {
        expect(mail.to).toBe(hostile);
        for (const tag of tagsIn(mail.html)) expect(tag).not.toMatch(/script|img|onerror|onmouseover|<b\b/i);
        expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&#39;&amp;&lt;img src=x onerror=alert(2)&gt;");
        expect(mail.text).toContain(hostile);
      });

      it("carries its link as a link and as plain text, in both parts, and no other address", () => {
        const links = expected ? [expected.href] : [];
        expect(urlsIn(mail.text)).toEqual(links);
        for (const href of links) {
          expect(mail.html).toContain(`href="${href.replace(/&/g, "&amp;")}"`);
          // Outside any tag too, for a reader whose client shows no links.
          expect(mail.html.replace(/<[^>]*>/g, "")).toContain(href.replace(/&/g, "&amp;"));
        }
        expect(new Set(urlsIn(mail.html))).toEqual(new Set(links));
      });

      it("loads nothing and runs nothing", () => {
        for (const tag of tagsIn(mail.html)) {
          const [, name = "", attributes = ""] = /^<\/?([!\w]+)([^>]*)>$/.exec(tag) ?? [];
          expect(ALLOWED_TAGS, tag).toContain(name.toLowerCase());
          for (const [, attribute] of attributes.matchAll(/\s([\w-]+)=(?:"[^"]*"|'[^']*'|[^\s>]+)/g)) expect(ALLOWED_ATTRIBUTES, tag).toContain(attribute);
          expect(tag).not.toMatch(/url\(/i);
        }
      });
    });
  }

  it("names the new address in the notice to the old one", () => {
    const mail = emailChangeNoticeMail("old@example.com", "new@example.com");
    expect(mail.text).toContain("new@example.com");
    expect(mail.html).toContain("new@example.com");
  });

  it("states the lifetime it is given", () => {
    expect(passwordResetMail("a@example.com", link, 30).text).toContain("30 minutes");
    expect(emailConfirmationMail("a@example.com", link, 1).text).toContain("1 hour.");
    expect(emailChangeConfirmationMail("a@example.com", link, 48).html).toContain("48 hours");
  });

  it("names the passkey, and escapes the name its owner chose", () => {
    expect(passkeyAddedMail("a@example.com", "Work laptop", link)).toMatchObject({ subject: "A passkey was added to your Tessera account" });
    expect(passkeyRemovedMail("a@example.com", "Work laptop", link).text).toContain("“Work laptop”");
    expect(passkeyAddedMail("a@example.com", hostileNew, link).html).not.toContain("<b ");
  });

  it("says a new sign-in's device, place and time, and escapes a device name a client chose", () => {
    const at = new Date("2026-12-04T06:20:00Z");
    const mail = newSignInMail("a@example.com", { device: hostileNew, place: "198.51.100.x", at }, link, 7, new URL("https://tessera.example.com/account/activity"));
    expect(mail.subject).toBe("New sign-in to your Tessera account");
    expect(mail.text).toContain("Place: 198.51.100.x. Time: 4 December 2026 at 06:20 UTC.");
    expect(mail.text).toContain(`This wasn't me:\n${link.href}`);
    expect(mail.text).toContain("within 7 days");
    for (const tag of tagsIn(mail.html)) expect(tag).not.toMatch(/onmouseover|<b\b/i);
  });

  it("refuses a link that is not a web address", () => {
    expect(() => passwordResetMail("a@example.com", new URL("javascript:alert(1)"), 30)).toThrow();
  });
});
