import Link from "next/link";
import { FormMessage } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { listRegisteredBackings } from "@/lib/server/data-source-registration";
import { AppError } from "@/lib/server/errors";
import { getIntegrationSettings } from "@/lib/server/integration";
import { pageActor } from "@/lib/server/page";
import { listCatalogs } from "@/lib/server/trino";
import { RegisterWizard } from "./register-wizard";

export default async function RegisterPage() {
  const actor = await pageActor(["DATA_OWNER"]);
  let catalogs: string[] = [];
  let error: string | null = null;
  try {
    catalogs = await listCatalogs(actor);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    error = e.message;
  }
  const [registered, { governedCatalog }] = await Promise.all([listRegisteredBackings(actor), getIntegrationSettings()]);
  return (
    <>
      <PageHeader
        title="Register tables"
        description="Pick tables Trino's service user can read; each becomes a governed view with its columns and types read from Trino."
      >
        <Link href="/data-sources" className="text-sm text-indigo-700 hover:underline">
          Back to data sources
        </Link>
      </PageHeader>
      {error ? (
        <FormMessage>Cannot list Trino's catalogs. {error}</FormMessage>
      ) : catalogs.length === 0 ? (
        <FormMessage kind="info">Trino shows the service user no catalogs to register tables from (the governed catalog and system are hidden).</FormMessage>
      ) : (
        <RegisterWizard catalogs={catalogs} registered={registered} me={actor.username} governedCatalog={governedCatalog} />
      )}
    </>
  );
}
