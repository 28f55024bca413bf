// The mail Tessera sends, as plain data: a text part and an HTML part saying the same thing through one layout.
// Every link appears as a link and as its address in plain text (in both parts), so a reader whose client hides
// or rewrites links can still copy it. No remote images, no tracking, no script: the HTML part is a few
// paragraphs that any client renders, and every value put into it is escaped.

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** A paragraph of text, or a link with what it does ("Set a new password"). */
type Block = string | { label: string; href: URL };

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Only web links: a javascript: or data: URL must never reach a mail, whoever built it. */
function webLink(href: URL): string {
  if (href.protocol !== "https:" && href.protocol !== "http:") throw new Error(`not a web link: ${href.protocol}`);
  return href.href;
}

const SIGNATURE = "Tessera";

function footer(to: string): string {
  return `This mail was sent to ${to} by ${SIGNATURE}. It was not sent to anyone else, and it contains nothing that tracks you.`;
}

/** The one layout every mail shares: the same blocks as text and as HTML. */
function layout(to: string, subject: string, blocks: Block[]): MailMessage {
  const text = [
    ...blocks.map((block) => (typeof block === "string" ? block : `${block.label}:\n${webLink(block.href)}`)),
    `-- \n${footer(to)}`,
  ].join("\n\n");

  const paragraph = "margin:0 0 16px;line-height:1.5";
  const htmlBlocks = blocks.map((block) => {
    if (typeof block === "string") return `<p style="${paragraph}">${escapeHtml(block)}</p>`;
    const href = escapeHtml(webLink(block.href));
    return (
      `<p style="${paragraph}"><a href="${href}" style="font-weight:bold">${escapeHtml(block.label)}</a></p>\n` +
      `<p style="${paragraph};font-size:13px">If the link does not work, copy this address into your browser:<br>` +
      `<span style="word-break:break-all">${href}</span></p>`
    );
  });
  const html = [
    "<!doctype html>",
    '<html lang="en">',
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;font-family:system-ui,sans-serif;font-size:15px;color:#1a1a1a">',
    ...htmlBlocks,
    `<p style="${paragraph};font-size:12px;color:#555">${escapeHtml(footer(to))}</p>`,
    "</body>",
    "</html>",
  ].join("\n");

  return { to, subject, text, html };
}

function duration(count: number, unit: "minute" | "hour" | "day"): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

export function passwordResetMail(to: string, link: URL, validForMinutes: number): MailMessage {
  return layout(to, "Reset your Tessera password", [
    `Someone, hopefully you, asked to reset the password of the Tessera account for ${to}.`,
    { label: "Set a new password", href: link },
    `The link works once, within ${duration(validForMinutes, "minute")}. Opening it changes nothing: you choose the new password on the page it opens.`,
    "If it wasn't you, ignore this mail: your password stays as it is.",
  ]);
}

export function passwordChangedMail(to: string, forgotPasswordLink: URL): MailMessage {
  return layout(to, "Your Tessera password was changed", [
    `The password of the Tessera account for ${to} was just changed, and every session of the account was signed out.`,
    "If it was you, there is nothing else to do.",
    "If it wasn't you, reset your password now:",
    { label: "Reset your password", href: forgotPasswordLink },
  ]);
}

export function emailConfirmationMail(to: string, link: URL, validForHours: number): MailMessage {
  return layout(to, "Confirm your email", [
    `Confirm that ${to} is the email address of your Tessera account.`,
    { label: "Confirm email", href: link },
    `The link works once, within ${duration(validForHours, "hour")}.`,
    "If you did not create a Tessera account, ignore this mail: nothing happens without the link.",
  ]);
}

export function emailChangeConfirmationMail(to: string, link: URL, validForHours: number): MailMessage {
  return layout(to, "Confirm your new email", [
    `Someone asked to change the email of a Tessera account to ${to}. If it was you, confirm the change:`,
    { label: "Confirm your new email", href: link },
    `Until it is confirmed, the account keeps its current email. The link works once, within ${duration(validForHours, "hour")}.`,
    "If it wasn't you, ignore this mail: nothing changes.",
  ]);
}

export function emailChangeNoticeMail(to: string, newEmail: string): MailMessage {
  return layout(to, "Your Tessera email is being changed", [
    `Someone signed in to the Tessera account for ${to} asked to change its email to ${newEmail}.`,
    `Nothing has changed yet: the email changes only when the link sent to ${newEmail} is confirmed.`,
    "If it was you, there is nothing to do here.",
    "If it wasn't you, someone else may know your password: sign in and change your password now, which signs out every other session.",
  ]);
}

export function emailInUseMail(to: string): MailMessage {
  return layout(to, "Someone tried to use your email on another Tessera account", [
    `Someone asked to change the email of another Tessera account to ${to}.`,
    `${to} already belongs to a Tessera account, so nothing was changed, and no account was moved to it.`,
    "If it was you, sign in with this address instead. If it wasn't you, ignore this mail.",
  ]);
}

export function twoFactorEnabledMail(to: string, securityLink: URL): MailMessage {
  return layout(to, "Two-step sign-in is on for your Tessera account", [
    `An authenticator app was just set up for the Tessera account for ${to}. Signing in now takes your password and a code from the app.`,
    "If it was you, keep your recovery codes somewhere safe: each one signs you in once if you lose the app.",
    "If it wasn't you, someone else is signed in to your account: reset your password, then check your sign-in security:",
    { label: "Sign-in security", href: securityLink },
  ]);
}

export function twoFactorDisabledMail(to: string, forgotPasswordLink: URL): MailMessage {
  return layout(to, "Two-step sign-in was turned off for your Tessera account", [
    `The authenticator app of the Tessera account for ${to} was just turned off, with the account's password and a code. Its recovery codes no longer work.`,
    "Signing in now takes the password alone. If it was you, there is nothing else to do.",
    "If it wasn't you, reset your password now:",
    { label: "Reset your password", href: forgotPasswordLink },
  ]);
}

export function recoveryCodesReplacedMail(to: string, securityLink: URL): MailMessage {
  return layout(to, "New recovery codes were made for your Tessera account", [
    `A new set of recovery codes was just made for the Tessera account for ${to}. The old codes no longer work.`,
    "If it was you, keep the new codes somewhere safe: each one signs you in once if you lose your authenticator app.",
    "If it wasn't you, someone is signed in to your account and knows your password: reset your password, which signs out every session, then make a new set of recovery codes.",
    { label: "Sign-in security", href: securityLink },
  ]);
}

export function recoveryCodeUsedMail(to: string, codesLeft: number, securityLink: URL): MailMessage {
  return layout(to, "A recovery code was used to sign in to your Tessera account", [
    `Someone signed in to the Tessera account for ${to} with its password and one of its recovery codes.`,
    `That code no longer works. ${codesLeft === 1 ? "1 recovery code is" : `${codesLeft} recovery codes are`} left.`,
    "If it was you, consider making a new set of recovery codes, and setting up your authenticator app again if you lost it.",
    "If it wasn't you, someone has your password and your recovery codes: reset your password, then make new recovery codes.",
    { label: "Sign-in security", href: securityLink },
  ]);
}

export const NEW_SIGN_IN_SUBJECT = "New sign-in to your Tessera account";

const utcTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

export interface NewSignIn {
  /** As /account/sessions names it: "Chrome on Linux". */
  device: string;
  /** As /account/sessions names it: "203.0.113.x"; null when unknown. */
  place: string | null;
  at: Date;
}

export function newSignInMail(to: string, signIn: NewSignIn, wasntMeLink: URL, validForDays: number, activityLink: URL): MailMessage {
  return layout(to, NEW_SIGN_IN_SUBJECT, [
    `Someone signed in to the Tessera account for ${to} from a device and place it has not been used from lately:`,
    `Device: ${signIn.device}. Place: ${signIn.place ?? "unknown"}. Time: ${utcTime.format(signIn.at)} UTC.`,
    "If it was you, there is nothing to do.",
    `If it wasn't you, this link signs everyone out of the account, your own sessions too, and mails you a link to set a new password. It works once, within ${duration(validForDays, "day")}, and opening it changes nothing until you confirm.`,
    { label: "This wasn't me", href: wasntMeLink },
    { label: "Your security activity", href: activityLink },
  ]);
}

export function passkeyAddedMail(to: string, passkeyName: string, securityLink: URL): MailMessage {
  return layout(to, "A passkey was added to your Tessera account", [
    `A passkey named “${passkeyName}” was just added to the Tessera account for ${to}. It signs in to the account without a password.`,
    "If it was you, there is nothing else to do.",
    "If it wasn't you, someone else is signed in to your account: remove that passkey and reset your password now:",
    { label: "Sign-in security", href: securityLink },
  ]);
}

export function passkeyRemovedMail(to: string, passkeyName: string, securityLink: URL): MailMessage {
  return layout(to, "A passkey was removed from your Tessera account", [
    `The passkey named “${passkeyName}” was just removed from the Tessera account for ${to}. It no longer signs in.`,
    "If it was you, there is nothing else to do.",
    "If it wasn't you, someone else is signed in to your account: reset your password and check your sign-in security:",
    { label: "Sign-in security", href: securityLink },
  ]);
}

export function providerConnectedMail(to: string, provider: string, securityLink: URL): MailMessage {
  return layout(to, `${provider} was connected to your Tessera account`, [
    `A ${provider} account was just connected to the Tessera account for ${to}. It signs in to the account without a password.`,
    "If it was you, there is nothing else to do.",
    `If it wasn't you, someone else is signed in to your account: disconnect ${provider} and reset your password now:`,
    { label: "Sign-in security", href: securityLink },
  ]);
}

export function providerDisconnectedMail(to: string, provider: string, securityLink: URL): MailMessage {
  return layout(to, `${provider} was disconnected from your Tessera account`, [
    `The ${provider} account connected to the Tessera account for ${to} was just disconnected. It no longer signs in.`,
    "If it was you, there is nothing else to do.",
    "If it wasn't you, someone else is signed in to your account: reset your password and check your sign-in security:",
    { label: "Sign-in security", href: securityLink },
  ]);
}
