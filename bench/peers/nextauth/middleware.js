// next-auth's auth() as the middleware, on Tessera's matcher: it decrypts the session cookie on the edge and
// sends a request without a session for /account to sign in.
export { auth as middleware } from "./auth";

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
