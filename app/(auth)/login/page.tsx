import { redirect } from "next/navigation";
import { getActor } from "@/lib/server/actor";
import { oidcEnabled } from "@/lib/server/auth";
import { oidcLoginAction } from "./actions";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await getActor()) redirect("/");
  const { next } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-semibold">Steward</h1>
        <p className="mb-6 mt-1 text-sm text-slate-500">Data-access governance for Trino. Sign in to continue.</p>
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
