import { describe, expect, it } from "vitest";
import { apiKeyReference, catalogPropertiesFile, createCatalogSql } from "./catalog-properties";

const config = { catalog: "governed", consoleUrl: "http://127.0.0.1:3000", apiKeyEnv: "STEWARD_API_KEY", serviceUser: "steward" };

describe("catalog properties", () => {
  it("writes the properties file the connector reads, the key as a reference to Trino's environment", () => {
    expect(catalogPropertiesFile(config)).toBe(
      "connector.name=steward\nsteward.console-url=http://127.0.0.1:3000\nsteward.api-key=${ENV:STEWARD_API_KEY}\nsteward.service-user=steward\n",
    );
  });

  it("escapes what Java properties would misread", () => {
    const file = catalogPropertiesFile({ ...config, consoleUrl: "a\\b\nc", serviceUser: " x" });
    expect(file).toContain("steward.console-url=a\\\\b\\nc\n");
    expect(file).toContain("steward.service-user=\\ x\n");
  });

  it("builds CREATE CATALOG with quoted literals and no key in it", () => {
    expect(createCatalogSql(config)).toBe(
      `CREATE CATALOG governed USING steward WITH (\n  "steward.console-url" = 'http://127.0.0.1:3000',\n  "steward.api-key" = '\${ENV:STEWARD_API_KEY}',\n  "steward.service-user" = 'steward'\n)`,
    );
    expect(createCatalogSql({ ...config, serviceUser: "o'brien" })).toContain(`"steward.service-user" = 'o''brien'`);
  });

  it("refuses a catalog name that is not a plain identifier, and an environment name that is not one", () => {
    for (const bad of ["Governed", "a-b", "x; DROP CATALOG y", "", "1abc"]) {
      expect(() => createCatalogSql({ ...config, catalog: bad })).toThrow(/Not a catalog name/);
    }
    for (const bad of ["", "stw_abc", "A}B", "A B", "${ENV:X}"]) {
      expect(() => apiKeyReference(bad)).toThrow(/Not an environment variable name/);
    }
  });
});
