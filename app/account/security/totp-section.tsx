import QRCode from "qrcode";
import { isRecentlyAuthenticated, type CurrentSession } from "@/lib/sessions/data-access.server";
import { totpStatus } from "@/lib/factors/totp.server";
import { groupForReading } from "@/lib/factors/base32";
import { hasPassword } from "@/lib/users/store.server";
import { DateTime } from "../../_components/date-time";
import { TotpPanel, type TotpView } from "./totp-panel";

/** The authenticator app (TOTP): set up, recovery codes, turn off. */
export async function TotpSection({ session }: { session: CurrentSession }) {
  const status = await totpStatus(session.user);
  let view: TotpView;
  // A setup's key shows only within the step-up window, as starting one needs: a cookie stolen later must not read
  // the key the owner is about to turn on. Past it, the page offers to set one up, which asks to confirm first.
  if (status.state === "setting-up" && isRecentlyAuthenticated(session)) {
    // Drawn here, as SVG: the secret never goes to a QR-code service.
    const qrSvg = await QRCode.toString(status.uri, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
    view = { state: "setting-up", qrSvg, groupedSecret: groupForReading(status.secret) };
  } else if (status.state === "on") {
    view = { state: "on", since: <DateTime date={status.since} />, recoveryCodesLeft: status.recoveryCodesLeft };
  } else {
    view = { state: "off" };
  }
  return (
    <section aria-labelledby="totp-heading">
      <h2 id="totp-heading">Authenticator app</h2>
      <TotpPanel view={view} hasPassword={await hasPassword(session.user.id)} />
    </section>
  );
}
