#!/usr/bin/env node
// Adds up the counts of every runner (vitest, Maven Surefire, Playwright) into one closing line.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "test-results";
const totals = { passed: 0, failed: 0, skipped: 0 };
const parts = [];

function add(name, passed, failed, skipped) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  parts.push(`${name}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

const vitest = join(dir, "vitest.json");
if (existsSync(vitest)) {
  const r = JSON.parse(readFileSync(vitest, "utf8"));
  add("vitest", r.numPassedTests, r.numFailedTests, r.numPendingTests + (r.numTodoTests ?? 0));
}

const surefire = "trino-plugin/target/surefire-reports";
if (!process.argv.includes("--no-junit") && existsSync(surefire)) {
  let tests = 0, failures = 0, skipped = 0;
  for (const f of readdirSync(surefire).filter((n) => n.startsWith("TEST-") && n.endsWith(".xml"))) {
    const head = readFileSync(join(surefire, f), "utf8").match(/<testsuite[^>]*>/)?.[0] ?? "";
    const num = (k) => Number(head.match(new RegExp(`\\b${k}="(\\d+)"`))?.[1] ?? 0);
    tests += num("tests");
    failures += num("failures") + num("errors");
    skipped += num("skipped");
  }
  add("junit", tests - failures - skipped, failures, skipped);
}

// Playwright: the main pass, then any further pass with its own results dir (test-all.sh: two-nodes/).
const passes = [["playwright", dir]];
for (const d of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
  if (d.isDirectory() && existsSync(join(dir, d.name, "playwright.json"))) passes.push([`playwright (${d.name})`, join(dir, d.name)]);
}
for (const [name, d] of passes) {
  const pw = join(d, "playwright.json");
  if (!existsSync(pw)) continue;
  const s = JSON.parse(readFileSync(pw, "utf8")).stats;
  add(name, s.expected + (s.flaky ?? 0), s.unexpected, s.skipped);
}

for (const p of parts) console.log(p);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
