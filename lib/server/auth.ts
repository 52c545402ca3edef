import "server-only";
import { randomBytes } from "node:crypto";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { text } from "@/lib/validations/text";
import { tooManyAttemptsMessage } from "./login-throttle";
import { authenticateWithPassword, endUserSessions, getUserByUsername, getUserSummary, upsertOidcUser, usernameAndGroupsFromProfile } from "./users";

const credentialsSchema = z.object({
  username: text().trim().min(1).max(128),
  password: text().min(1).max(1024),
});

/** Refused by the sign-in throttle: the password was not checked. `code` ends up in Auth.js's redirect URL. */
export class TooManySignInAttempts extends CredentialsSignin {
  code = "too_many_attempts";
  constructor(readonly minutes: number) {
    super(tooManyAttemptsMessage(minutes));
  }
}

/** What the login form says for a failed sign-in. */
export function signInFailureMessage(error: unknown): string {
  if (error instanceof CredentialsSignin && error.code === "too_many_attempts") {
    const minutes = (error as Partial<TooManySignInAttempts>).minutes;
    return tooManyAttemptsMessage(typeof minutes === "number" ? minutes : 15);
  }
  return "Wrong username or password.";
}

/**
 * The client's address for the per-address throttle: the last X-Forwarded-For entry (what the nearest proxy
 * saw; `next start` sets the socket address when there is none).
 */
function clientAddress(request: Request | undefined): string | null {
  const forwarded = request?.headers.get("x-forwarded-for");
  const last = forwarded?.split(",").pop()?.trim() || request?.headers.get("x-real-ip")?.trim();
  return last ? last.slice(0, 100) : null;
}

function oidcProvider(): NextAuthConfig["providers"] {
  const issuer = process.env.STEWARD_OIDC_ISSUER;
  if (!issuer) return [];
  return [
    {
      id: "oidc",
      name: process.env.STEWARD_OIDC_NAME ?? "Single sign-on",
      type: "oidc",
      issuer,
      clientId: process.env.STEWARD_OIDC_CLIENT_ID,
      clientSecret: process.env.STEWARD_OIDC_CLIENT_SECRET,
    },
  ];
}

export const oidcEnabled = Boolean(process.env.STEWARD_OIDC_ISSUER);

/** Without AUTH_SECRET a random per-process secret: sessions end at restart, but none can be forged. */
function authSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const g = globalThis as { __stewardAuthSecret?: string };
  if (!g.__stewardAuthSecret) {
    console.warn("[steward] AUTH_SECRET is not set: using a random secret; sessions end when the server restarts.");
    g.__stewardAuthSecret = randomBytes(32).toString("hex");
  }
  return g.__stewardAuthSecret;
}

function oidcClaims() {
  return {
    usernameClaim: process.env.STEWARD_OIDC_USERNAME_CLAIM ?? "preferred_username",
    groupsClaim: process.env.STEWARD_OIDC_GROUPS_CLAIM ?? "groups",
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  secret: authSecret(),
  session: { strategy: "jwt" },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { username: {}, password: {} },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        const result = await authenticateWithPassword(parsed.data.username, parsed.data.password, { ip: clientAddress(request) });
        if (result.status === "throttled") throw new TooManySignInAttempts(result.minutes);
        if (result.status !== "ok") throw new CredentialsSignin();
        return { id: result.user.id, name: result.user.username };
      },
    }),
    ...oidcProvider(),
  ],
  events: {
    // Signing out ends every session of the user, so a copied cookie dies with this one. Only when the
    // cookie is current: a stale copy cannot sign its owner out of newer sessions.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (typeof token?.uid === "string" && typeof token.sv === "number") await endUserSessions(token.uid, token.sv);
    },
  },
  callbacks: {
    // OIDC: the user is created or updated (groups from the claim) here, and refused when disabled.
    async signIn({ account, profile }) {
      if (account?.provider !== "oidc") return true;
      if (!profile) return false;
      return Boolean(await upsertOidcUser(profile as Record<string, unknown>, oidcClaims()));
    },
    async jwt({ token, user, account, profile }) {
      let found = null;
      if (account?.provider === "oidc" && profile) {
        const { username } = usernameAndGroupsFromProfile(profile as Record<string, unknown>, oidcClaims());
        found = await getUserByUsername(username);
      } else if (user?.id) {
        found = await getUserSummary(user.id);
      }
      if (found) {
        token.uid = found.id;
        token.username = found.username;
        token.roles = found.roles;
        // getActor compares it with the user's current version on every request (actor.ts).
        token.sv = found.sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      if (token.uid) {
        session.user = {
          ...session.user,
          id: String(token.uid),
          name: String(token.username),
          roles: (token.roles as string[] | undefined) ?? [],
          sessionVersion: typeof token.sv === "number" ? token.sv : undefined,
        } as typeof session.user;
      }
      return session;
    },
  },
});
