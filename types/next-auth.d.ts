import "next-auth";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; roles: string[]; sessionVersion?: number; email?: string | null; image?: string | null };
  }
}
