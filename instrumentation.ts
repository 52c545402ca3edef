// Runs once when the server starts: the embedded database allows one process, so seeding happens here.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrap } = await import("./lib/server/bootstrap");
  await bootstrap();
}
