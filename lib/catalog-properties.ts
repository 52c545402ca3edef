// The governed catalog's configuration in its two forms: a properties file to deploy by hand, and the
// CREATE CATALOG statement for a Trino with `catalog.management=dynamic`. Pure, so both are unit-tested.

export interface CatalogConfig {
  catalog: string;
  consoleUrl: string;
  apiKey: string;
  serviceUser: string;
}

export const API_KEY_PLACEHOLDER = "<an API key created below>";

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function properties(c: CatalogConfig): [string, string][] {
  return [
    ["steward.console-url", c.consoleUrl],
    ["steward.api-key", c.apiKey],
    ["steward.service-user", c.serviceUser],
  ];
}

/** `etc/catalog/<catalog>.properties`; values are escaped as Java properties. */
export function catalogPropertiesFile(c: CatalogConfig): string {
  const esc = (v: string) =>
    v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/^\s/, (m) => `\\${m}`);
  return ["connector.name=steward", ...properties(c).map(([k, v]) => `${k}=${esc(v)}`)].join("\n") + "\n";
}

/** Every value a single-quoted literal with `'` doubled; the catalog name must be a plain identifier. */
export function createCatalogSql(c: CatalogConfig): string {
  if (!IDENTIFIER.test(c.catalog)) throw new Error(`Not a catalog name: ${JSON.stringify(c.catalog)}`);
  const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const withs = properties(c).map(([k, v]) => `"${k}" = ${lit(v)}`);
  return `CREATE CATALOG ${c.catalog} USING steward WITH (\n  ${withs.join(",\n  ")}\n)`;
}

