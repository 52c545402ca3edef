// vitest runs server modules directly; Next's "server-only" guard is for bundles, so tests import this instead.
export {};
