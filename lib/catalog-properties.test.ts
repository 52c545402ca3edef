import { describe, expect, it } from "vitest";
import { catalogPropertiesFile, createCatalogSql } from "./catalog-properties";

const config = { catalog: "governed", consoleUrl: "http://127.0.0.1:3000", apiKey: "stw_abc", serviceUser: "steward" };

describe("catalog properties", () => {
  it("writes the properties file the connector reads", () => {
    expect(catalogPropertiesFile(config)).toBe(
      "connector.name=steward\nsteward.console-url=http://127.0.0.1:3000\nsteward.api-key=stw_abc\nsteward.service-user=steward\n",
    );
  });

  it("escapes what Java properties would misread", () => {
    const file = catalogPropertiesFile({ ...config, apiKey: "a\\b\nc", serviceUser: " x" });
    expect(file).toContain("steward.api-key=a\\\\b\\nc\n");
    expect(file).toContain("steward.service-user=\\ x\n");
  });

  it("builds CREATE CATALOG with quoted literals", () => {
    expect(createCatalogSql(config)).toBe(
      `CREATE CATALOG governed USING steward WITH (\n  "steward.console-url" = 'http://127.0.0.1:3000',\n  "steward.api-key" = 'stw_abc',\n  "steward.service-user" = 'steward'\n)`,
    );
    expect(createCatalogSql({ ...config, serviceUser: "o'brien" })).toContain(`"steward.service-user" = 'o''brien'`);
  });

  it("refuses a catalog name that is not a plain identifier", () => {
    for (const bad of ["Governed", "a-b", "x; DROP CATALOG y", "", "1abc"]) {
      expect(() => createCatalogSql({ ...config, catalog: bad })).toThrow(/Not a catalog name/);
    }
  });
});
