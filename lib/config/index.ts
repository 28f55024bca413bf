// Tessera's configuration, read from environment variables and checked once, a file per concern; each setting is
// validated where its concern reads it. Safe for the edge runtime (no Node APIs), because middleware needs the
// session and step-up settings too. Every variable is listed in the README.
export { ConfigError, isProduction } from "./env";
export * from "./session";
export * from "./passwords";
export * from "./limits";
export * from "./network";
export * from "./mail";
export * from "./recovery";
export * from "./step-up";
export * from "./access-tokens";
export * from "./activity";
