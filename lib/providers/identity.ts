// Who a provider says signed in. Keyed by issuer and subject, never by email: an email a provider reports can change
// or be reassigned, a subject cannot. Pure.
import type { ProviderId } from "../config/providers";

export interface ProviderIdentity {
  provider: ProviderId;
  /** The provider's issuer identifier (GitHub: its web address). */
  issuer: string;
  subject: string;
  /** As the provider gave it, not yet normalized; null when it gave none. */
  email: string | null;
  /** Only a provider's explicit `true` counts (`email_verified`, GitHub's `verified` on the primary address). */
  emailVerified: boolean;
}
