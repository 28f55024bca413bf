import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// lib/'s layers: primitives know nothing of sign-in, sessions or people; features build on them. Features are
// listed from the top down: each may import those after it, never one before it, so no two import each other.
const PRIMITIVES = ["config", "errors.ts", "ids.ts", "log.server.ts", "routes.ts", "tokens", "db", "keys", "passwords", "limits", "http"];
const FEATURES = ["sign-in", "providers", "users", "recovery", "factors", "passkeys", "ways-in", "sessions", "activity", "mail"];

const eslintConfig = [
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".next-*/**",
      "lib/db/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      // The benchmark's own Next.js apps (bench/baseline, bench/peers/*): their builds and installed packages.
      "bench/**/.next*/**",
      "bench/**/node_modules/**",
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      // A leading underscore marks a value left unused on purpose (an action's previous state, a key removed by
      // destructuring).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Imports inside lib/ run one way (docs/decisions/0015-layers.md): the primitives import no feature, and a
    // feature none above it.
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: PRIMITIVES.map((path) => `./lib/${path}`),
              from: FEATURES.map((path) => `./lib/${path}`),
              message: "A primitive imports no feature: move the shared piece down into a primitive, or the code up.",
            },
            ...FEATURES.slice(1).map((feature, index) => ({
              target: `./lib/${feature}`,
              from: FEATURES.slice(0, index + 1).map((above) => `./lib/${above}`),
              message: `lib/${feature} imports only the features after it in eslint.config.mjs's FEATURES: move the shared piece down, or the code up.`,
            })),
          ],
        },
      ],
    },
  },
];

export default eslintConfig;
