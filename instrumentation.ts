// Runs once when the server starts: the embedded database allows one process, so seeding happens here.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrap } = await import("./lib/server/bootstrap");
  await bootstrap();
  // scripts/serve.mjs answers the connector's GETs with these handlers before Next's router (a ~2 ms saving each)
  const { serveViewApi } = await import("./lib/server/view-api-endpoints");
  (globalThis as Record<symbol, unknown>)[Symbol.for("steward.serveViewApi")] = serveViewApi;
}
