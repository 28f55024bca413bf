// Return paths (`next`) a browser would follow off this origin, once it has resolved their dot segments and
// escapes, or once a proxy has decoded them. Shared by the unit tests of lib/routes.ts and the e2e tests that
// send them to every page and action that reads `next`.

export const OFFSITE_RETURN_PATHS = [
  // Another origin as written.
  "//evil.example",
  "//evil.example/account",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "https://evil.example",
  "https://evil.example/account",
  "http:/evil.example",
  "javascript:alert(1)",
  "/\t/evil.example",
  "/\n/evil.example",
  // A single slash as written, two once the dot segments are resolved.
  "/.//evil.example",
  "/.//evil.example/account?tab=1#top",
  "/%2e//evil.example",
  "/%2E//evil.example",
  "/..//evil.example",
  "/a/..//evil.example",
  "/x/../..//evil.example",
  "/%2e%2e//evil.example",
  "/.%2e//evil.example",
  "/%2e./%2fevil.example",
  "/./\\evil.example",
  "/.\t//evil.example",
  "/.\n//evil.example",
  "/.\r//evil.example",
  // Harmless to a browser, another origin once the path's escapes are decoded (by a proxy, or a server).
  "/%2f/evil.example",
  "/%2F%2Fevil.example",
  "/%5c/evil.example",
  "/%5Cevil.example",
  "/.%5c/evil.example",
  "/..%2f/evil.example",
  "/..%5c/evil.example",
  "/%09/evil.example",
  "/%252f/evil.example",
  "/account/x%2F..%2F..%2F%2Fevil.example",
];
