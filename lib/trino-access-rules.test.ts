// The shipped Trino access rules follow the governed catalog's configured name (scripts/trino/access-rules.mjs).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const script = path.resolve(import.meta.dirname, "../scripts/trino/access-rules.mjs");
const render = (name?: string) => spawnSync(process.execPath, [script, ...(name === undefined ? [] : [name])], { encoding: "utf8" });

describe("access rules for a governed catalog named by the admin", () => {
  it("writes every governed-catalog rule for <name>|<name>_.* and nothing for the default name", () => {
    const r = render("immuta");
    expect(r.status).toBe(0);
    const text = r.stdout;
    expect(text).not.toContain("governed");
    const rules = JSON.parse(text) as Record<string, { catalog?: string; schema?: string; allow?: unknown; user?: string }[]>;
    expect(rules.catalogs!.find((c) => c.allow === "read-only" && c.catalog !== "system")!.catalog).toBe("immuta|immuta_.*");
    const tableRule = rules.tables!.find((t) => t.catalog === "immuta|immuta_.*")!;
    expect(tableRule.schema).toBe("(?!steward_internal$).*"); // the HASH key's schema stays the service user's
    expect(rules.catalog_session_properties!.some((c) => c.catalog === "immuta|immuta_.*")).toBe(true);
    // the default name renders the template's rules unchanged
    expect(JSON.parse(render().stdout)).toEqual(JSON.parse(render("governed").stdout));
  });

  it("refuses a name that would be a regular expression or not a Trino identifier", () => {
    for (const bad of ["Immuta", "a|b", ".*", "a-b", ""]) {
      const r = render(bad);
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toMatch(/not a plain lower-case catalog name/);
    }
  });
});
