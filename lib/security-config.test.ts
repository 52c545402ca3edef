// Configuration-level hardening: headers on every response (next.config.ts) and the demo's secret files.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import nextConfig from "../next.config";

const ROOT = path.resolve(import.meta.dirname, "..");

describe("next.config.ts headers", () => {
  it("forbid framing and content sniffing on every path", async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    const all = rules.find((r) => r.source === "/:path*");
    const headers = Object.fromEntries((all?.headers ?? []).map((h) => [h.key.toLowerCase(), h.value]));
    expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("scripts/demo.sh secret files", () => {
  // The function the demo writes .data/demo-api-key and .data/auth-secret with, run on its own.
  const script = readFileSync(path.join(ROOT, "scripts/demo.sh"), "utf8");
  const fn = /^secret_file\(\) \{[\s\S]*?^\}$/m.exec(script)?.[0];

  it("writes new secrets with mode 600 and tightens ones an older demo left readable", () => {
    expect(fn, "scripts/demo.sh defines secret_file").toBeTruthy();
    const dir = mkdtempSync(path.join(tmpdir(), "steward-demo-secrets-"));
    try {
      const fresh = path.join(dir, "auth-secret");
      const old = path.join(dir, "demo-api-key");
      writeFileSync(old, "stw_demo_old", { mode: 0o644 });
      const r = spawnSync("bash", ["-c", `set -euo pipefail; umask 022; ${fn}\nsecret_file "$1" 'require("crypto").randomBytes(32).toString("hex")'\nsecret_file "$2" '"unused"'`, "x", fresh, old], {
        encoding: "utf8",
      });
      expect(r.status, r.stderr).toBe(0);
      expect(statSync(fresh).mode & 0o777).toBe(0o600);
      expect(readFileSync(fresh, "utf8")).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(old).mode & 0o777).toBe(0o600);
      expect(readFileSync(old, "utf8")).toBe("stw_demo_old");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
