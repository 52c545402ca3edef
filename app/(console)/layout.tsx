import Link from "next/link";
import { navFor } from "@/lib/nav";
import { signOut } from "@/lib/server/auth";
import { pageActor } from "@/lib/server/page";
import { NavLink } from "@/components/nav-link";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await pageActor();
  async function logout() {
    "use server";
    await signOut({ redirectTo: "/login" });
  }
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-56 shrink-0 flex-col border-r border-slate-200 bg-white">
        <Link href="/data-sources" className="px-5 py-5 text-lg font-semibold tracking-tight">
          Steward
        </Link>
        <nav aria-label="Main" className="flex-1 space-y-1 px-3">
          {navFor(actor.roles).map((item) => (
            <NavLink key={item.href} href={item.href} label={item.label} />
          ))}
        </nav>
        <div className="border-t border-slate-200 px-5 py-4 text-sm">
          <p className="font-medium" data-testid="current-user">{actor.username}</p>
          <p className="text-xs text-slate-500">{actor.roles.length ? actor.roles.join(", ").toLowerCase().replaceAll("_", " ") : "user"}</p>
          <Link href="/account" className="mt-2 block text-indigo-600 hover:underline">
            Your account
          </Link>
          <form action={logout}>
            <button className="mt-2 text-indigo-600 hover:underline">Sign out</button>
          </form>
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-6">{children}</main>
    </div>
  );
}
