import { readEpoch } from "@/lib/server/governance";

export const dynamic = "force-dynamic";

/** Ready when the database answers (migrations are applied on first use). */
export async function GET() {
  const epoch = await readEpoch();
  return Response.json({ ok: true, epoch });
}
