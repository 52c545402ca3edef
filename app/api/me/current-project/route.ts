import { readJson, route } from "@/lib/server/handlers";
import { switchCurrentProject } from "@/lib/server/projects";

export const dynamic = "force-dynamic";

/** `{"projectId": "..." | null}`: only a project the caller is a member of (else 403). */
export const PUT = route({}, async ({ actor, req }) => switchCurrentProject(actor, (await readJson(req)) as { projectId: string | null }));
