import Link from "next/link";
import { notFound } from "next/navigation";
import { PolicyBuilder } from "@/components/policies/policy-builder";
import { Badge } from "@/components/ui/badge";
import { FormMessage } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { policyToForm } from "@/lib/policies/form";
import { NotFoundError } from "@/lib/server/errors";
import { hasAnyRole } from "@/lib/roles";
import { pageActor } from "@/lib/server/page";
import { getBuilderOptions } from "@/lib/server/policy-options";
import { getPolicy } from "@/lib/server/policy-search";
import { compileDraftAction, deletePolicyAction, savePolicyAction } from "../actions";

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export default async function EditPolicyPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await pageActor(["GOVERNOR", "DATA_OWNER", "AUDITOR"]);
  const { id } = await params;
  const p = await getPolicy(actor, id).catch((e) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const options = await getBuilderOptions(actor);
  const saved = (await searchParams).saved === "1";
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/policies" className="text-indigo-700 hover:underline">Policies</Link>
        <span aria-hidden className="mx-1 text-slate-400">/</span>
        <span className="text-slate-600">{p.name}</span>
      </nav>
      <PageHeader title={p.name} description={`Created ${when(p.createdAt)}${p.createdBy ? ` by ${p.createdBy}` : ""}; changed ${when(p.updatedAt)}.`}>
        {p.scope === "GLOBAL" ? <Badge tone="indigo">global</Badge> : <Badge>local · {p.view}</Badge>}
      </PageHeader>
      {p.policy ? (
        <PolicyBuilder
          options={options}
          initial={policyToForm(p.policy)}
          policyId={p.id}
          version={p.version}
          readOnly={!p.canEdit}
          saved={saved}
          save={savePolicyAction}
          remove={deletePolicyAction}
          // the live compile previews users' views: for those who write policies (auditors read the definition)
          compile={hasAnyRole(actor.roles, ["GOVERNOR", "DATA_OWNER"]) ? compileDraftAction : undefined}
        />
      ) : (
        <FormMessage>This policy&apos;s stored definition no longer validates ({p.invalid}); the view API fails closed on it. Delete it and create it again.</FormMessage>
      )}
    </>
  );
}
