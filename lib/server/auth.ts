import "server-only";
import { randomBytes } from "node:crypto";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authenticateWithPassword, getUserByUsername, getUserSummary, upsertOidcUser, usernameAndGroupsFromProfile } from "./users";

const credentialsSchema = z.object({
  username: z.string().trim().min(1).max(128),
  password: z.string().min(1).max(1024),
});

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
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        const user = await authenticateWithPassword(parsed.data.username, parsed.data.password);
        if (!user) throw new CredentialsSignin();
        return { id: user.id, name: user.username };
      },
    }),
    ...oidcProvider(),
  ],
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
        } as typeof session.user;
      }
      return session;
    },
  },
});
