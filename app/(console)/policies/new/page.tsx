import Link from "next/link";
import { PolicyBuilder } from "@/components/policies/policy-builder";
import { PageHeader } from "@/components/ui/page-header";
import { emptyPolicyForm } from "@/lib/policies/form";
import { pageActor } from "@/lib/server/page";
import { getBuilderOptions } from "@/lib/server/policy-options";
import { compileDraftAction, savePolicyAction } from "../actions";

export default async function NewPolicyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await pageActor(["GOVERNOR", "DATA_OWNER"]);
  const options = await getBuilderOptions(actor);
  const sp = await searchParams;
  const ds = typeof sp.ds === "string" && options.dataSources.some((d) => d.id === sp.ds) ? sp.ds : options.dataSources.length === 1 ? options.dataSources[0].id : "";
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/policies" className="text-indigo-700 hover:underline">Policies</Link>
        <span aria-hidden className="mx-1 text-slate-400">/</span>
        <span className="text-slate-600">New</span>
      </nav>
      <PageHeader title="New policy" description="Who it applies to, what it does, and the SQL it compiles to — before you save." />
      <PolicyBuilder options={options} initial={emptyPolicyForm({ dataSourceId: ds })} save={savePolicyAction} compile={compileDraftAction} />
    </>
  );
}
