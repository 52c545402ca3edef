import { PageHeader } from "@/components/ui/page-header";
import { pageActor } from "@/lib/server/page";
import { ChangePasswordForm } from "./password-form";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const actor = await pageActor();
  return (
    <div className="space-y-6">
      <PageHeader title="Your account" description={`Signed in as ${actor.username}. Changing your password signs you out everywhere, here too.`} />
      <section className="rounded-lg border border-slate-200 bg-white p-5">
        <ChangePasswordForm />
      </section>
    </div>
  );
}
