"use server";

import { revalidatePath } from "next/cache";
import { registerFromTrino } from "@/lib/server/data-source-registration";
import { applyResync, previewResync } from "@/lib/server/data-source-resync";
import { setDataSourceTags } from "@/lib/server/data-source-tags";
import { deleteDataSource, setDataSourceStatus, setSubscriptionPolicy } from "@/lib/server/data-sources";
import { action } from "@/lib/server/handlers";
import { addSubscriber } from "@/lib/server/subscriptions";
import { describeTable, listSchemas, listTables } from "@/lib/server/trino";
import {
  addSubscriberSchema,
  browseSchemasSchema,
  browseTablesSchema,
  dataSourceIdSchema,
  dataSourceTagsSchema,
  deleteDataSourceSchema,
  registerFromTrinoSchema,
  resyncApplySchema,
  setStatusSchema,
  setSubscriptionPolicyActionSchema,
  tableRefSchema,
} from "@/lib/validations/data-source";

const refresh = () => revalidatePath("/data-sources", "layout");

export const browseSchemasAction = action({ roles: ["DATA_OWNER"], schema: browseSchemasSchema }, (actor, { catalog }) => listSchemas(actor, catalog));

export const browseTablesAction = action({ roles: ["DATA_OWNER"], schema: browseTablesSchema }, (actor, { catalog, schema }) =>
  listTables(actor, catalog, schema),
);

export const describeTableAction = action({ roles: ["DATA_OWNER"], schema: tableRefSchema }, (actor, ref) => describeTable(actor, ref));

export const registerTableAction = action({ roles: ["DATA_OWNER"], schema: registerFromTrinoSchema }, async (actor, input) => {
  const registered = await registerFromTrino(actor, input);
  refresh();
  return registered;
});

// Ownership (owner of this data source, or governor) is checked inside lib/server for the rest.
export const previewResyncAction = action({ schema: dataSourceIdSchema }, (actor, { dataSourceId }) => previewResync(actor, dataSourceId));

export const applyResyncAction = action({ schema: resyncApplySchema }, async (actor, { dataSourceId, fingerprint }) => {
  const result = await applyResync(actor, dataSourceId, fingerprint);
  refresh();
  return result;
});

export const setStatusAction = action({ schema: setStatusSchema }, async (actor, { dataSourceId, status }) => {
  await setDataSourceStatus(actor, dataSourceId, status);
  refresh();
  return { status };
});

export const deleteDataSourceAction = action({ schema: deleteDataSourceSchema }, async (actor, { dataSourceId, confirm }) => {
  await deleteDataSource(actor, dataSourceId, { confirmName: confirm });
  refresh();
  revalidatePath("/subscriptions");
  return { id: dataSourceId };
});

export const addSubscriberAction = action({ schema: addSubscriberSchema }, async (actor, { dataSourceId, username }) => {
  const sub = await addSubscriber(actor, dataSourceId, username);
  refresh();
  return { id: sub.id };
});

export const setSubscriptionPolicyAction = action({ schema: setSubscriptionPolicyActionSchema }, async (actor, { dataSourceId, subscription, version }) => {
  const policy = await setSubscriptionPolicy(actor, dataSourceId, subscription, { version });
  refresh();
  revalidatePath("/subscriptions");
  return { type: policy.type };
});

export const setTagsAction = action({ schema: dataSourceTagsSchema }, async (actor, input) => {
  const r = await setDataSourceTags(actor, input);
  refresh();
  revalidatePath("/policies");
  return r;
});
