import "server-only";

// "This process just committed an epoch bump to N": governance writes say so after commit, and the view API's state
// (lib/server/view-snapshot.ts) stops trusting the epoch it read last, so a process reads its own writes at once,
// and answers the connectors' epoch watches before the writer gets its answer.
// Listeners live on globalThis: Next may load lib/server twice in one process (instrumentation and the routes),
// and both copies must hear it.

/** Gets the epoch the write committed. */
type Listener = (epoch: number) => void;
const KEY = Symbol.for("steward.epochMoved");
const listeners = (): Set<Listener> => ((globalThis as Record<symbol, Set<Listener>>)[KEY] ??= new Set());

/** Adds a listener; returns what removes it. */
export function onEpochMoved(listener: Listener): () => void {
  listeners().add(listener);
  return () => void listeners().delete(listener);
}

export function epochMoved(epoch: number): void {
  for (const listener of listeners()) listener(epoch);
}
