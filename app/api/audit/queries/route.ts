import { parseInput, route } from "@/lib/server/handlers";
import { exportQueryAudits } from "@/lib/server/query-audit";
import { queryAuditFilterSchema } from "@/lib/validations/query-audit";
import { z } from "zod";

// Query audit export for auditors: GET /api/audit/queries?format=csv|jsonl with the Queries page's filters
// (user, dataSource, policy, from, to). CSV has a header row; JSON lines hold one record per line. Newest first.
export const dynamic = "force-dynamic";

const formatSchema = z.object({ format: z.enum(["csv", "jsonl"], { message: "format must be csv or jsonl." }) });

export const GET = route({ roles: ["AUDITOR"] }, async ({ actor, req }) => {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const { format } = parseInput(formatSchema, { format: params.format });
  // the page's filters (its page number is ignored: an export holds every matching record)
  const filter = parseInput(queryAuditFilterSchema, params);
  const stream = await exportQueryAudits(actor, filter, format);
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "").replace("T", "-");
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="steward-queries-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
});
