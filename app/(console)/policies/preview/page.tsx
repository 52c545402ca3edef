import Link from "next/link";
import { PreviewForm } from "@/components/policies/preview-form";
import { PageHeader } from "@/components/ui/page-header";
import { pageActor } from "@/lib/server/page";
import { getBuilderOptions } from "@/lib/server/policy-options";
import { previewAction } from "../actions";

export default async function PreviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await pageActor(["GOVERNOR", "DATA_OWNER"]);
  const options = await getBuilderOptions(actor);
  const sp = await searchParams;
  const ds = typeof sp.ds === "string" && options.dataSources.some((d) => d.id === sp.ds) ? sp.ds : "";
  const user = typeof sp.user === "string" && options.users.some((u) => u.username === sp.user) ? sp.user : "";
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/policies" className="text-indigo-700 hover:underline">Policies</Link>
        <span aria-hidden className="mx-1 text-slate-400">/</span>
        <span className="text-slate-600">View as user</span>
      </nav>
      <PageHeader
        title="View as user"
        description="Exactly what one user gets from a data source: whether they see it, each mask and filter and the policy behind it, the SQL, and real rows from Trino."
      />
      <PreviewForm options={options} initialDs={ds} initialUser={user} preview={previewAction} />
    </>
  );
}
