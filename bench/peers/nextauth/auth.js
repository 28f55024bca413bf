// next-auth as its documentation sets it up for email and password: the credentials provider and the JWT
// session strategy (the only one the credentials provider supports), sessions as encrypted cookies that live
// 30 days (its default), renewed as they are used. One person, named by the benchmark in the environment: the
// figure measures the protected page, not the password check.
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";

export const { handlers, auth } = NextAuth({
  secret: process.env.AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt" },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize({ email, password }) {
        if (email !== process.env.PEER_EMAIL || password !== process.env.PEER_PASSWORD) return null;
        return { id: "bench-person", email };
      },
    }),
  ],
  callbacks: {
    // Used by the middleware: /account needs a session.
    authorized({ auth: session, request }) {
      return request.nextUrl.pathname.startsWith("/account") ? Boolean(session?.user) : true;
    },
  },
});
