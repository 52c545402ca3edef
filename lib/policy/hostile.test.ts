// Property tests with hostile input: whatever users, attributes, groups, column names, constants or backing
// names contain, the compiled SQL keeps the structure it has with benign values, and each hostile value sits
// only inside a string literal or a quoted identifier (and decodes back to exactly that value).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "./compile";
import { quoteIdent, quoteLiteral, tokenize, toWellFormed, type Token } from "./sql";
import { hostileName, hostileString, HOSTILE_SAMPLES } from "./testing/hostile";
import { inferType, selectItems } from "./testing/type-check";
import type { DataSourceInput, PolicyInput, UserContext } from "./types";

const KEY = { hashKey: "k" };
const RUNS = Number(process.env.HOSTILE_RUNS ?? 500);

/** Token structure with literal and quoted-identifier contents abstracted away. */
function structure(sql: string): string[] {
  const tokens = tokenize(sql);
  const bad = tokens.filter((t) => t.kind === "error" || t.kind === "comment" || t.kind === "macro" || t.kind === "placeholder");
  if (bad.length > 0) throw new Error(`unexpected ${bad[0]!.kind} token ${JSON.stringify(bad[0]!.text.slice(0, 40))}`);
  return tokens.filter((t) => t.kind !== "ws").map((t) => (t.kind === "string" ? "<lit>" : t.kind === "qident" ? "<ident>" : `${t.kind}:${t.text.toUpperCase()}`));
}

function decoded(sql: string, kind: "string" | "qident"): string[] {
  return tokenize(sql)
    .filter((t: Token) => t.kind === kind)
    .map((t) => t.value!);
}

/** every string literal/quoted identifier token is exactly what quoteLiteral/quoteIdent make of its value */
function literalsCanonical(sql: string): void {
  for (const t of tokenize(sql)) {
    if (t.kind === "string") expect(t.text).toBe(quoteLiteral(t.value!));
    if (t.kind === "qident") expect(t.text).toBe(quoteIdent(t.value!));
  }
}

function source(columns: { name: string; type: string; tags?: string[] }[], backing = { catalog: "memory", schema: "hr", table: "t" }): DataSourceInput {
  return { id: "ds", backing, governedSchema: "hr", name: "t", columns: columns.map((c) => ({ tags: [], ...c })), tags: ["T"] };
}

const base = (id: string, action: PolicyInput["action"], extra: Partial<PolicyInput> = {}): PolicyInput => ({
  id,
  name: id,
  scope: "LOCAL",
  dataSourceId: "ds",
  who: { type: "EVERYONE" },
  action,
  createdAt: "2024-01-01T00:00:00Z",
  ...extra,
});

const user = (over: Partial<UserContext> = {}): UserContext => ({ username: "u", groups: [], attributes: {}, purposes: [], ...over });

const uniq = (xs: string[]) => [...new Set(xs.map(toWellFormed))];
const fitsOwner = (g: string) => [...toWellFormed(g)].length <= 20;

// Thousands of generated cases per test: give them room on a loaded 2-core machine.
describe("hostile values stay inside literals and quoted identifiers", { timeout: 180_000 }, () => {
  it("the samples cover the listed classes", () => {
    const all = HOSTILE_SAMPLES.join("");
    for (const needle of ["'", '"', "\\", "--", "/*", "*/", ";", "\n", "\u0000", "\u202e", "😀", "\ud800"]) expect(all).toContain(needle);
    expect(HOSTILE_SAMPLES.some((s) => s.length >= 5000)).toBe(true);
  });

  it("quoteLiteral and quoteIdent round-trip any string as one token", () => {
    fc.assert(
      fc.property(hostileString(), (s) => {
        const lit = tokenize(quoteLiteral(s));
        expect(lit.map((t) => t.kind)).toEqual(["string"]);
        expect(lit[0]!.value).toBe(toWellFormed(s));
        if (s.length > 0) {
          const id = tokenize(quoteIdent(s));
          expect(id.map((t) => t.kind)).toEqual(["qident"]);
          expect(id[0]!.value).toBe(toWellFormed(s));
        }
      }),
      { numRuns: RUNS },
    );
  });

  const cols = [
    { name: "region", type: "varchar" },
    { name: "owner", type: "varchar(20)" },
    { name: "amount", type: "decimal(10,2)" },
  ];
  const policies = [
    base("a", { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: "region", key: "region" } }),
    base("b", { type: "ROW_FILTER", filter: { kind: "MATCH_GROUP", column: "owner" } }),
    base("c", {
      type: "ROW_FILTER",
      filter: { kind: "WHERE", sql: "owner = @username OR contains(@groups, owner) OR contains(@attribute('region'), region) OR contains(@purposes, 'x')" },
    }),
    base("d", { type: "MASK", target: { columns: ["amount"] }, mask: { method: "NULL" }, onlyWhere: "NOT contains(@attribute('region'), region) AND @username <> 'admin'" }),
    base("e", { type: "MASK", target: { columns: ["owner"] }, mask: { method: "CUSTOM", sql: "if({col} = @username, {col}, '***')" } }),
  ];
  const ds = source(cols);

  it("user context: username, groups, attribute values, purposes", () => {
    fc.assert(
      fc.property(
        hostileName(),
        fc.array(hostileString(), { maxLength: 4 }),
        fc.array(hostileString(), { maxLength: 4 }),
        fc.array(hostileString(), { maxLength: 3 }),
        (username, groups, region, purposes) => {
          const hostile = user({ username, groups, attributes: { region }, purposes });
          // MATCH_GROUP on owner varchar(20) leaves out groups longer than 20 characters (they can never be
          // equal): the benign reference has as many too-long groups
          const benignGroup = (g: string, i: number) => (fitsOwner(g) ? `g${i}` : `${"g".repeat(21)}${i}`);
          const benign = user({
            username: "u",
            groups: uniq(groups).map(benignGroup),
            attributes: { region: uniq(region).map((_, i) => `r${i}`) },
            purposes: uniq(purposes).map((_, i) => `p${i}`),
          });
          const h = compile(ds, policies, hostile, KEY).sql;
          const b = compile(ds, policies, benign, KEY).sql;
          expect(structure(h)).toEqual(structure(b));
          literalsCanonical(h);
          const lits = new Set(decoded(h, "string"));
          // every group is in the SQL (as a literal of @groups in the WHERE filter)
          for (const v of [username, ...groups, ...region, ...purposes]) expect(lits.has(toWellFormed(v))).toBe(true);
          // MATCH_GROUP alone compares owner with exactly the groups that fit
          const g = compile(ds, [policies[1]!], hostile, KEY).sql;
          expect(new Set(decoded(g.slice(g.indexOf(" WHERE ")), "string"))).toEqual(new Set(uniq(groups).filter(fitsOwner)));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("attribute keys and values in MATCH_ATTRIBUTE and @attribute", () => {
    fc.assert(
      fc.property(hostileName(), fc.array(hostileString(), { minLength: 1, maxLength: 5 }), (key, values) => {
        fc.pre(!["__proto__"].includes(key));
        const ps = [
          base("a", { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: "region", key } }),
          base("b", { type: "ROW_FILTER", filter: { kind: "WHERE", sql: `contains(@attribute(${quoteLiteral(key)}), region)` } }),
        ];
        const h = compile(ds, ps, user({ attributes: { [key]: values } }), KEY).sql;
        const b = compile(ds, ps, user({ attributes: { [key]: uniq(values).map((_, i) => `v${i}`) } }), KEY).sql;
        expect(structure(h)).toEqual(structure(b));
        literalsCanonical(h);
        const lits = new Set(decoded(h, "string"));
        for (const v of values) expect(lits.has(toWellFormed(v))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("attribute values on columns of every type: a literal of the type, or left out", () => {
    const types = ["bigint", "tinyint", "decimal(10,2)", "double", "real", "boolean", "date", "timestamp(3)", "time(3)", "char(3)", "varchar(4)", "uuid", "ipaddress", "timestamp(3) with time zone"];
    const nearMiss = fc.constantFrom("7", "07", "-0", "1.50", "-0.00", "1.5E0", "0E0", "NaN", "true", "TRUE", "2024-02-29", "2024-02-29 10:00:00.000", "10:00:00.000", "ab ", "::1", "10.0.0.1", "12151fd2-7586-11e9-8f9e-2a86e4085a59");
    const d = source(types.map((type, i) => ({ name: `c${i}`, type })));
    const ps = types.map((_, i) => base(`f${i}`, { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: `c${i}`, key: "k" } }));
    fc.assert(
      fc.property(fc.array(fc.oneof(hostileString(), nearMiss), { maxLength: 5 }), (values) => {
        const r = compile(d, ps, user({ attributes: { k: values } }), KEY);
        structure(r.sql); // throws on comments, stray characters, macros
        literalsCanonical(r.sql);
        // every string literal in the WHERE clause is one of the values (or a type name's text of a typed literal)
        const where = r.sql.slice(r.sql.indexOf(" WHERE "));
        const allowed = new Set(values.map(toWellFormed));
        for (const v of decoded(where, "string")) expect(allowed.has(v)).toBe(true);
        // the typed columns are never cast: only double (its exact check), real and the zoned timestamp compare as varchar
        const casts = [...where.matchAll(/CAST\("(c\d+)" AS varchar\)/g)].map((m) => types[Number(m[1]!.slice(1))]);
        for (const t of casts) expect(["double", "real", "timestamp(3) with time zone"]).toContain(t);
      }),
      { numRuns: RUNS },
    );
  });

  it("column names in masks, cell predicates, CUSTOM and row filters", () => {
    fc.assert(
      fc.property(hostileName(), (name) => {
        fc.pre(!["id", "ts"].includes(name.toLowerCase()));
        const make = (col: string) => {
          const d = source([
            { name: "id", type: "bigint" },
            { name: col, type: "varchar(30)", tags: ["PII"] },
            { name: "ts", type: "timestamp(3)" },
          ]);
          const ps = [
            base("m1", { type: "MASK", target: { columns: [col] }, mask: { method: "SHOW_LAST", n: 2 }, onlyWhere: "{col} <> 'x'" }),
            base("m2", { type: "MASK", target: { tag: "PII" }, mask: { method: "HASH" } }, { scope: "GLOBAL", dataSourceId: undefined, tag: "PII" }),
            base("m3", { type: "MASK", target: { columns: ["id"] }, mask: { method: "CUSTOM", sql: "length({col})" } }),
            base("f1", { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: col, key: "k" } }),
            base("f2", { type: "ROW_FILTER", filter: { kind: "MINIMIZE", percent: 50, keyColumns: [col, "id"] } }),
            base("f3", { type: "ROW_FILTER", filter: { kind: "MATCH_GROUP", column: col } }),
          ];
          return compile(d, ps, user({ groups: ["g"], attributes: { k: ["v"] } }), KEY);
        };
        const h = make(name);
        const b = make("benign");
        expect(structure(h.sql)).toEqual(structure(b.sql));
        literalsCanonical(h.sql);
        expect(decoded(h.sql, "qident")).toContain(toWellFormed(name));
        expect(h.columns.map((c) => c.type)).toEqual(b.columns.map((c) => c.type));
        expect(Object.keys(h.applied.columns)).toEqual(["id", name]);
        // declared types still match the expressions
        const types = { id: "bigint", [toWellFormed(name)]: "varchar(30)", ts: "timestamp(3)" };
        selectItems(h.sql).forEach((item, k) => expect(inferType(item.expr, types)).toBe(h.columns[k]!.type));
      }),
      { numRuns: RUNS },
    );
  });

  it("CONSTANT values, REGEX patterns and the hash key", () => {
    const typed = source([
      { name: "s", type: "varchar" },
      { name: "n", type: "bigint" },
      { name: "d", type: "date" },
      { name: "v", type: "varchar(3)" },
      { name: "b", type: "boolean" },
      { name: "r", type: "varchar" },
      { name: "h", type: "varchar" },
    ]);
    const make = (value: string, pattern: string, key: string) =>
      compile(
        typed,
        [
          base("c1", { type: "MASK", target: { columns: ["s", "n", "d", "v", "b"] }, mask: { method: "CONSTANT", value } }),
          base("c2", { type: "MASK", target: { columns: ["r"] }, mask: { method: "REGEX", pattern: pattern || "x", replacement: value } }),
          base("c3", { type: "MASK", target: { columns: ["h"] }, mask: { method: "HASH" } }),
        ],
        user(),
        { hashKey: key || "k" },
      );
    // a hostile value never casts to bigint/date/boolean, but may fit varchar(3): two benign references
    const refs = [make("xxxx", "x", "k"), make("xx", "x", "k")].map((r) => structure(r.sql).join(" "));
    fc.assert(
      fc.property(hostileString(), hostileName(), hostileName(), (value, pattern, key) => {
        const numericLike = /^[+-]?\d|^(true|false)$/i.test(value);
        fc.pre(!numericLike);
        const h = make(value, pattern, key);
        expect(refs).toContain(structure(h.sql).join(" "));
        literalsCanonical(h.sql);
        const lits = new Set(decoded(h.sql, "string"));
        for (const v of [value, pattern, key]) expect(lits.has(toWellFormed(v))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("backing catalog, schema and table names", () => {
    fc.assert(
      fc.property(hostileName(), hostileName(), hostileName(), (catalog, schema, table) => {
        const cols2 = [{ name: "a", type: "varchar" }];
        const h = compile(source(cols2, { catalog, schema, table }), [], user(), KEY).sql;
        const b = compile(source(cols2), [], user(), KEY).sql;
        expect(structure(h)).toEqual(structure(b));
        literalsCanonical(h);
        expect(decoded(h, "qident").slice(-3)).toEqual([catalog, schema, table].map(toWellFormed));
      }),
      { numRuns: RUNS },
    );
  });

  it("tags, condition terms and policy names never reach the SQL", () => {
    fc.assert(
      fc.property(hostileName(), hostileName(), hostileName(), (tag, group, name) => {
        const d: DataSourceInput = { ...source([{ name: "a", type: "varchar", tags: [tag] }]), tags: [tag] };
        const ps = [
          base("g", { type: "MASK", target: { tag }, mask: { method: "REDACT" } }, { scope: "GLOBAL", dataSourceId: undefined, tag, name }),
          base("w", { type: "ROW_FILTER", filter: { kind: "PURPOSE_RESTRICT", purposes: [group] } }, {
            name,
            who: { type: "ONLY", condition: { match: "any", terms: [{ kind: "group", group }] } },
          }),
        ];
        const r = compile(d, ps, user({ groups: [group], purposes: [group] }), KEY);
        expect(r.sql).toBe(
          `SELECT CAST(regexp_replace(regexp_replace(regexp_replace(CAST("a" AS varchar), '[A-Z]', 'X'), '[a-z]', 'x'), '[0-9]', '0') AS varchar) AS "a" FROM "memory"."hr"."t" WHERE (true)`,
        );
        expect(r.applied.columns.a!.policyName).toBe(name);
      }),
      { numRuns: RUNS },
    );
  });
});
