// Compile-time bench of the policy compiler: a 200-column data source with 50 applicable policies, and a
// typical 10-column one. Median and p95 per compile over many iterations after warm-up.
// Run: npx tsx scripts/bench.ts   (writes bench/results.json)
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../lib/policy/index";
import { hrEmployees, wideCase } from "../lib/policy/testing/fixtures";
import type { DataSourceInput, PolicyInput, UserContext } from "../lib/policy/types";

interface Case {
  name: string;
  dataSource: DataSourceInput;
  policies: PolicyInput[];
  user: UserContext;
  warmup: number;
  iterations: number;
}

const wide = wideCase(200, 50);
const typicalSource: DataSourceInput = { ...hrEmployees.dataSource, columns: hrEmployees.dataSource.columns.slice(0, 10) };
const cases: Case[] = [
  { name: "200 columns, 50 applicable policies", ...wide, warmup: 300, iterations: 3000 },
  { name: "10 columns, typical policies", dataSource: typicalSource, policies: hrEmployees.policies, user: hrEmployees.users.bob!, warmup: 2000, iterations: 20000 },
];

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const opts = { hashKey: "bench-key" };
const results = cases.map((c) => {
  const probe = compile(c.dataSource, c.policies, c.user, opts);
  const appliedPolicies = new Set([
    ...Object.values(probe.applied.columns).flatMap((a) => [a.policyId, ...a.overridden.map((o) => o.policyId)]),
    ...probe.applied.rowFilters.map((f) => f.policyId),
  ]);
  for (let i = 0; i < c.warmup; i++) compile(c.dataSource, c.policies, c.user, opts);
  const samples: number[] = [];
  for (let i = 0; i < c.iterations; i++) {
    const t0 = process.hrtime.bigint();
    compile(c.dataSource, c.policies, c.user, opts);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  samples.sort((a, b) => a - b);
  return {
    case: c.name,
    columns: c.dataSource.columns.length,
    policies: c.policies.length,
    appliedPolicies: appliedPolicies.size,
    maskedColumns: Object.keys(probe.applied.columns).length,
    rowFilters: probe.applied.rowFilters.length,
    sqlChars: probe.sql.length,
    iterations: c.iterations,
    unit: "microseconds per compile",
    median: round(quantile(samples, 0.5)),
    p95: round(quantile(samples, 0.95)),
    p99: round(quantile(samples, 0.99)),
    min: round(samples[0]!),
    mean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
});

const out = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  results,
};
const path = join(dirname(fileURLToPath(import.meta.url)), "..", "bench", "results.json");
mkdirSync(dirname(path), { recursive: true });
writeFileSync(path, `${JSON.stringify(out, null, 2)}\n`);
for (const r of results) {
  console.log(
    `${r.case}: median ${r.median} µs, p95 ${r.p95} µs, p99 ${r.p99} µs (${r.iterations} runs; ${r.appliedPolicies} policies applied, ${r.maskedColumns} masked columns, ${r.rowFilters} row filters, ${r.sqlChars} chars of SQL)`,
  );
}
console.log(`written ${path}`);
