// ua-parser-js 1.x ships no types; this is the part lib/http/devices.ts uses. (2.x has types, but is AGPL-licensed:
// a reference app meant to be copied into other products stays on the MIT-licensed 1.x line.)
declare module "ua-parser-js" {
  interface UAParserResult {
    browser: { name?: string; version?: string };
    os: { name?: string; version?: string };
  }
  /** Called as a function, it parses the User-Agent and returns the result. */
  export default function UAParser(userAgent: string): UAParserResult;
}
