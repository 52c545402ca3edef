import { redirect } from "next/navigation";
import { getActor } from "@/lib/server/actor";
import { oidcEnabled } from "@/lib/server/auth";
import { oidcLoginAction } from "./actions";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

// Where Auth.js sends a refused sign-in (the plain-HTML form path), and where a password change lands.
const NOTICES: Record<string, { kind: "error" | "success"; text: string }> = {
  too_many_attempts: { kind: "error", text: "Too many sign-in attempts; try again later." },
  credentials: { kind: "error", text: "Wrong user name or password." },
  changed: { kind: "success", text: "Your password was changed and every session ended: sign in with the new password." },
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; code?: string; changed?: string }> }) {
  if (await getActor()) redirect("/");
  const { next, code, changed } = await searchParams;
  const notice = changed ? NOTICES.changed : code && Object.hasOwn(NOTICES, code) ? NOTICES[code] : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-semibold">Steward</h1>
        <p className="mb-6 mt-1 text-sm text-slate-500">Data-access governance for Trino. Sign in to continue.</p>
        {notice ? (
          <p role={notice.kind === "error" ? "alert" : "status"} data-testid="login-notice" className={`mb-4 rounded-md border px-3 py-2 text-sm ${notice.kind === "error" ? "border-red-200 bg-red-50 text-red-800" : "border-emerald-200 bg-emerald-50 text-emerald-800"}`}>
            {notice.text}
          </p>
        ) : null}
        <LoginForm next={next ?? "/"} />
        {oidcEnabled ? (
          <form action={oidcLoginAction} className="mt-4">
            <button className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm hover:bg-slate-50">Sign in with single sign-on</button>
          </form>
        ) : null}
      </div>
    </main>
  );
}
