// Types for scripts/chromium.mjs, which stays plain JavaScript so that scripts/ensure-browser.mjs can import it.
export const SYSTEM_CHROMIUMS: readonly string[];

export function systemChromium(): string | undefined;
