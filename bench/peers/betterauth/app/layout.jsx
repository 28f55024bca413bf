// Tessera's layout and header (bench/baseline/app/shell.jsx), the person from better-auth's session.
import { layoutWithSession } from "../../../baseline/app/shell";
import { currentSession } from "./session";

export { metadata, viewport } from "../../../baseline/app/shell";

export const dynamic = "force-dynamic";

export default layoutWithSession(currentSession);
