import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// docs/openapi/view-api.yaml is the connector's contract: it must describe exactly the routes that exist.
const ROOT = path.resolve(import.meta.dirname, "../..");
const API_DIR = path.join(ROOT, "app/api/trino/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

interface Operation {
  parameters?: { $ref?: string; name?: string; in?: string }[];
  responses: Record<string, unknown>;
}
type Doc = { openapi: string; paths: Record<string, Partial<Record<Lowercase<(typeof METHODS)[number]>, Operation>>>; components: Record<string, Record<string, unknown>> };

const doc = parse(readFileSync(path.join(ROOT, "docs/openapi/view-api.yaml"), "utf8")) as Doc;

/** Every directory holding a route.ts, as an OpenAPI path (`[user]` -> `{user}`), with its exported methods. */
function routes(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const rel = path.relative(path.join(ROOT, "app"), dir).split(path.sep).map((s) => s.replace(/^\[(.+)\]$/, "{$1}"));
        const source = readFileSync(full, "utf8");
        found.set(`/${rel.join("/")}`, METHODS.filter((m) => new RegExp(`export (const|async function|function) ${m}\\b`).test(source)));
      }
    }
  };
  walk(API_DIR);
  return found;
}

function resolve(ref: string): unknown {
  expect(ref.startsWith("#/")).toBe(true);
  return ref
    .slice(2)
    .split("/")
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
}

describe("docs/openapi/view-api.yaml", () => {
  const actual = routes();

  it("is OpenAPI 3.1 with bearer auth", () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("has a path for every route directory under app/api/trino/v1, and no other", () => {
    expect(actual.size).toBeGreaterThan(0);
    expect(Object.keys(doc.paths).sort()).toEqual([...actual.keys()].sort());
  });

  it("documents exactly the methods each route exports", () => {
    for (const [p, methods] of actual) {
      expect(Object.keys(doc.paths[p]).map((m) => m.toUpperCase()).sort(), p).toEqual([...methods].sort());
    }
  });

  it("declares every path parameter, and every operation answers 200 and 401", () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops) as Operation[]) {
        const params = (op.parameters ?? []).map((x) => (x.$ref ? (resolve(x.$ref) as { name: string; in: string }) : (x as { name: string; in: string })));
        expect(params.filter((x) => x.in === "path").map((x) => x.name).sort(), p).toEqual([...names].sort());
        expect(Object.keys(op.responses), p).toEqual(expect.arrayContaining(["200", "401"]));
      }
    }
  });

  it("has no dangling $ref", () => {
    const refs: string[] = [];
    const collect = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === "object") {
        for (const [k, v] of Object.entries(node)) {
          if (k === "$ref" && typeof v === "string") refs.push(v);
          else collect(v);
        }
      }
    };
    collect(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(resolve(ref), ref).toBeDefined();
  });
});
