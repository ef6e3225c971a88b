import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { clientAddress } from "@/lib/auth/client-address";
import { dashboardRoles, type DashboardRole } from "@/lib/auth/dashboard-users";
import { embeddedSecret } from "@/lib/auth/embedded-secret";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { ConfigurationError, env, sharedSecretsRequired } from "@/lib/env";

/** Error codes the sign-in form turns into sentences (next-auth passes a thrown message through as `error`). */
export const LOGIN_ERRORS = { tooManyAttempts: "TooManyAttempts", invalid: "CredentialsSignin" } as const;

/**
 * Where the session-signing secret comes from. With DATABASE_URL the app may run as several instances, which must
 * share one secret, so there NEXTAUTH_SECRET is required; the embedded demo keeps a generated one in DATA_DIR.
 */
export function authSecret(): string {
  const configured = env().NEXTAUTH_SECRET;
  if (configured) return configured;
  if (sharedSecretsRequired()) {
    throw new ConfigurationError("NEXTAUTH_SECRET", "NEXTAUTH_SECRET is not set: with DATABASE_URL every instance must sign sessions with the same secret (openssl rand -base64 32).");
  }
  return embeddedSecret("nextauth-secret");
}

/**
 * Without NEXTAUTH_URL, next-auth would build its redirects for http://localhost:3000 whatever the real port or
 * host; trusting the request's Host header instead makes any PORT work. Behind a proxy, set NEXTAUTH_URL.
 */
export function configureAuthEnvironment(): void {
  // A setting handed to next-auth, which reads it from the environment itself: written, never read, here.
  // eslint-disable-next-line no-restricted-properties
  if (!env().NEXTAUTH_URL) process.env.AUTH_TRUST_HOST = "true";
}

let cached: NextAuthOptions | undefined;

/** The one next-auth configuration (route handler, getServerSession). Built on first use, not at import. */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  configureAuthEnvironment();
  cached = {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          const email = credentials?.email?.trim() ?? "";
          const password = credentials?.password ?? "";
          if (!email || !password) return null;
          const forwardedFor: unknown = request.headers?.["x-forwarded-for"];
          const address = clientAddress(typeof forwardedFor === "string" ? forwardedFor : null, env().TRUSTED_PROXIES);
          const outcome = await signInWithPassword(getDb(), { email, password, address });
          if (!outcome.ok && outcome.reason === "throttled") throw new Error(LOGIN_ERRORS.tooManyAttempts);
          if (!outcome.ok) return null;
          const { user } = outcome;
          return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.id = user.id;
          token.role = user.role;
          token.name = user.name;
          token.email = user.email;
          token.sessionVersion = user.sessionVersion;
        }
        return token;
      },
      async session({ session, token }) {
        const role = (dashboardRoles as readonly string[]).includes(String(token.role)) ? (token.role as DashboardRole) : "support";
        // A token from before session versions existed carries none: version 0, the column's default.
        const sessionVersion = typeof token.sessionVersion === "number" ? token.sessionVersion : 0;
        session.user = { id: String(token.id ?? ""), email: String(token.email ?? ""), name: String(token.name ?? ""), role, sessionVersion };
        return session;
      },
    },
  };
  return cached;
}
