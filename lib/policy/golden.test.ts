// Golden files: the exact SQL and the applied/columns report for complete data sources, per user.
// Regenerate with `UPDATE_GOLDEN=1 npx vitest run lib/policy/golden.test.ts` and review the diff.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile } from "./compile";
import { GOLDEN_CASES } from "./testing/fixtures";
import { inferType, selectItems } from "./testing/type-check";
import { tokenize } from "./sql";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "__golden__");
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const OPTS = { hashKey: "golden-hash-key" };

function check(file: string, actual: string): void {
  const path = join(DIR, file);
  if (UPDATE) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden file ${file}: run with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("golden views", () => {
  for (const c of GOLDEN_CASES) {
    for (const [userName, user] of Object.entries(c.users)) {
      const slug = `${c.name}.${userName.replace(/[^a-z0-9]+/gi, "_")}`;
      it(slug, () => {
        const result = compile(c.dataSource, c.policies, user, OPTS);
        check(`${slug}.sql`, `${result.sql}\n`);
        check(`${slug}.json`, `${JSON.stringify({ columns: result.columns, applied: result.applied }, null, 2)}\n`);

        // every declared type is the type of its select item
        const types = Object.fromEntries(c.dataSource.columns.map((col) => [col.name, col.type]));
        const items = selectItems(result.sql);
        expect(items.map((i) => i.alias)).toEqual(result.columns.map((col) => col.name));
        items.forEach((item, k) => expect(inferType(item.expr, types)).toBe(result.columns[k]!.type));

        // lexically clean: no comments, no stray characters
        expect(tokenize(result.sql).filter((t) => t.kind === "comment" || t.kind === "error")).toEqual([]);

        // deterministic
        expect(compile(c.dataSource, [...c.policies].reverse(), user, OPTS)).toEqual(result);
      });
    }
  }
});
