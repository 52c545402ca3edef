import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authenticateWithPassword, upsertOidcUser } from "./users";

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

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  secret: process.env.AUTH_SECRET ?? "steward-demo-secret-change-me-in-production",
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
    async signIn({ account, profile }) {
      if (account?.provider !== "oidc") return true;
      if (!profile) return false;
      const user = await upsertOidcUser(profile as Record<string, unknown>, {
        usernameClaim: process.env.STEWARD_OIDC_USERNAME_CLAIM ?? "preferred_username",
        groupsClaim: process.env.STEWARD_OIDC_GROUPS_CLAIM ?? "groups",
      });
      return Boolean(user);
    },
    async jwt({ token, user, account, profile }) {
      if (account?.provider === "oidc" && profile) {
        const claim = process.env.STEWARD_OIDC_USERNAME_CLAIM ?? "preferred_username";
        const found = await upsertOidcUser(profile as Record<string, unknown>, {
          usernameClaim: claim,
          groupsClaim: process.env.STEWARD_OIDC_GROUPS_CLAIM ?? "groups",
        });
        if (found) {
          token.uid = found.id;
          token.username = found.username;
          token.roles = found.roles;
        }
      } else if (user?.id) {
        const { getUserSummary } = await import("./users");
        const found = await getUserSummary(user.id);
        if (found) {
          token.uid = found.id;
          token.username = found.username;
          token.roles = found.roles;
        }
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
