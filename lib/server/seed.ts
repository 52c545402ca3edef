import "server-only";
import type { Actor } from "./actor";
import { registerDataSource } from "./data-sources";
import { getDb } from "./db";
import { DEMO_PASSWORD, DEMO_PROJECT, HR_EMPLOYEES, PERSONAS } from "./demo-data";
import { governanceWrite } from "./governance";
import { hashPassword } from "./passwords";
import { createPolicy } from "./policies";
import { addProjectDataSource } from "./projects";
import { addSubscriber } from "./subscriptions";
import type { RoleName } from "@/lib/roles";

/** Idempotent: personas are (re)set every time; the governed table and its policies are created once. */
export async function seedDemo(): Promise<void> {
  const db = await getDb();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const actors = new Map<string, Actor>();
  await governanceWrite(
    null,
    { bumpEpoch: true },
    async (tx) => {
    for (const p of PERSONAS) {
      const user = await tx.user.upsert({
        where: { username: p.username },
        create: { username: p.username, displayName: p.displayName, roles: p.roles, passwordHash },
        update: { roles: p.roles, passwordHash, disabled: false },
      });
      actors.set(p.username, { id: user.id, username: user.username, roles: p.roles as RoleName[] });
      await tx.userAttribute.deleteMany({ where: { userId: user.id } });
      for (const [key, values] of Object.entries(p.attributes)) {
        for (const value of values) await tx.userAttribute.create({ data: { userId: user.id, key, value } });
      }
      await tx.groupMember.deleteMany({ where: { userId: user.id } });
      for (const name of p.groups) {
        const group = await tx.group.upsert({ where: { name }, create: { name }, update: {} });
        await tx.groupMember.create({ data: { groupId: group.id, userId: user.id } });
      }
    }
    const project = await tx.project.upsert({
      where: { name: DEMO_PROJECT.name },
      create: { name: DEMO_PROJECT.name, description: DEMO_PROJECT.description },
      update: {},
    });
    for (const pp of DEMO_PROJECT.purposes) {
      const purpose = await tx.purpose.upsert({ where: { name: pp.name }, create: pp, update: {} });
      await tx.projectPurpose.upsert({
        where: { projectId_purposeId: { projectId: project.id, purposeId: purpose.id } },
        create: { projectId: project.id, purposeId: purpose.id },
        update: {},
      });
    }
    for (const username of DEMO_PROJECT.members) {
      const userId = actors.get(username)!.id;
      await tx.projectMember.upsert({
        where: { projectId_userId: { projectId: project.id, userId } },
        create: { projectId: project.id, userId },
        update: {},
      });
    }
  },
    () => ({ action: "seed.personas", targetType: "system" }),
  );

  const existing = await db.dataSource.findUnique({
    where: { governedSchema_name: { governedSchema: HR_EMPLOYEES.governedSchema, name: HR_EMPLOYEES.name } },
  });
  if (existing) return;

  const olivia = actors.get("olivia")!;
  const gwen = actors.get("gwen")!;
  const ds = await registerDataSource(olivia, { ...HR_EMPLOYEES, subscription: { type: "APPROVAL" } });
  const exceptHr = { type: "EVERYONE_EXCEPT", condition: { match: "any", terms: [{ kind: "group", group: "hr" }] } };
  await createPolicy(gwen, {
    name: "Hide SSNs outside HR",
    scope: "LOCAL",
    dataSourceId: ds.id,
    who: exceptHr,
    action: { type: "MASK", target: { columns: ["ssn"] }, mask: { method: "NULL" } },
  });
  await createPolicy(gwen, {
    name: "Rows of the user's own region",
    scope: "LOCAL",
    dataSourceId: ds.id,
    who: exceptHr,
    action: { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: "region", key: "region" } },
  });
  await createPolicy(gwen, {
    name: "Redact e-mail addresses",
    scope: "GLOBAL",
    tag: "PII.Email",
    who: exceptHr,
    action: { type: "MASK", target: { tag: "PII.Email" }, mask: { method: "REDACT" } },
  });
  await addSubscriber(olivia, ds.id, "alice");
  await addSubscriber(olivia, ds.id, "carol");
  // the demo project holds hr.employees: a member who switches to it still sees it (and only it)
  const admin = actors.get("admin")!;
  const project = await db.project.findUniqueOrThrow({ where: { name: DEMO_PROJECT.name }, select: { id: true } });
  await addProjectDataSource(admin, { projectId: project.id, dataSourceId: ds.id });
}
