import { expect, test } from "@playwright/test";
import { sql } from "./support/db";
import { GOVERNED, queryAs, queryError } from "./support/trino";

// The governed catalog may be named as an admin chooses (issue 10.4; the two-node pass of npm test names it
// `immuta`): scripts/trino/start.sh writes the access rules for that name (access-rules.mjs), the console's
// integration follows STEWARD_GOVERNED_CATALOG, and a catalog outside the name stays closed to users.

test("users query the governed catalog by its configured name; other steward catalogs are closed to them", async () => {
  const [row] = await sql<{ governedCatalog: string }>(`SELECT "governedCatalog" FROM "Integration" WHERE id = 1`);
  expect(row!.governedCatalog).toBe(GOVERNED);
  const catalogs = (await queryAs("alice", "SHOW CATALOGS")).rows.flat();
  expect(catalogs).toContain(GOVERNED);
  expect(catalogs.filter((c) => c !== GOVERNED && c !== "system")).toEqual([]);
  expect((await queryAs("alice", `SHOW TABLES FROM ${GOVERNED}.hr`)).rows.flat()).toEqual(["employees"]);
  // compiled views read the HASH key from <name>.steward_internal.hash_key, which stays the service user's
  expect(await queryError("alice", `SELECT * FROM ${GOVERNED}.steward_internal.hash_key`)).toMatch(/Access Denied|does not exist/);

  // a steward catalog under another name is not one the rules open: alice cannot even see it
  const other = `other_${Date.now().toString(36)}`;
  await queryAs("steward", `CREATE CATALOG ${other} USING steward WITH ("steward.console-url" = '${process.env.STEWARD_CONSOLE_URL ?? "http://127.0.0.1:3917"}', "steward.api-key" = '\${ENV:STEWARD_API_KEY}')`);
  try {
    expect((await queryAs("alice", "SHOW CATALOGS")).rows.flat()).not.toContain(other);
    expect(await queryError("alice", `SELECT * FROM ${other}.hr.employees`)).toMatch(new RegExp(`Access Denied: Cannot access catalog ${other}`));
  } finally {
    await queryAs("steward", `DROP CATALOG ${other}`);
  }
});
