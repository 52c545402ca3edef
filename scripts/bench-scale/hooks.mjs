// Module hooks for running lib/server outside Next (the scale bench's seeding): `server-only` is Next's guard for
// bundles (vitest aliases it the same way), and lib/server/actor.ts's session lookup (next-auth) is not needed,
// since every lib/server function takes its actor as an argument.
const EMPTY = "data:text/javascript,export%20%7B%7D";
const NO_SESSION = "data:text/javascript,export%20async%20function%20auth()%7Breturn%20null%7D";

export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: EMPTY, shortCircuit: true };
  if (specifier === "./auth" && context.parentURL?.endsWith("/lib/server/actor.ts")) return { url: NO_SESSION, shortCircuit: true };
  return next(specifier, context);
}
