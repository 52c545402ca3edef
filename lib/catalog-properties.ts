// The governed catalog's configuration in its two forms: a properties file to deploy by hand, and the
// CREATE CATALOG statement for a Trino with `catalog.management=dynamic`. Pure, so both are unit-tested.
//
// Neither form ever holds the API key itself: Trino records every statement's text (system.runtime.queries,
// the web UI, event listeners), and Trino 476 has no way for a connector to mark a property secret. The key is a
// reference to an environment variable of Trino's coordinator (`${ENV:STEWARD_API_KEY}`, Trino's documented
// secrets mechanism), resolved by Trino when it creates the catalog.

export interface CatalogConfig {
  catalog: string;
  consoleUrl: string;
  /** the coordinator's environment variable that holds the API key */
  apiKeyEnv: string;
  serviceUser: string;
}

export const API_KEY_ENV = "STEWARD_API_KEY";

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** `${ENV:NAME}`: what the catalog says instead of the key. */
export function apiKeyReference(env: string): string {
  if (!ENV_NAME.test(env)) throw new Error(`Not an environment variable name: ${JSON.stringify(env)}`);
  return `\${ENV:${env}}`;
}

function properties(c: CatalogConfig): [string, string][] {
  return [
    ["steward.console-url", c.consoleUrl],
    ["steward.api-key", apiKeyReference(c.apiKeyEnv)],
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
