// pglite-prisma-adapter 0.7.2 with one fix: list parameters of enum type.
//
// Prisma sends filters on enum arrays (`roles: { has: "ADMIN" }`, `hasSome`, `equals`, ...) as a JS
// array bound to a parameter whose type PostgreSQL infers from the column (`"Role"[]`). PGlite only
// knows how to serialise arrays for built-in array types, so it sends `String(["ADMIN"])` = "ADMIN"
// and PostgreSQL fails with `malformed array literal: "ADMIN"` (adapter-pg is not affected). We pass
// such parameters as PostgreSQL array literals instead, which PostgreSQL parses for any array type.
import type { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlQueryable, Transaction } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

function arrayLiteral(values: unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return "NULL";
    if (Array.isArray(v)) return arrayLiteral(v);
    return `"${String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(",")}}`;
}

export function fixArgs(query: SqlQuery): SqlQuery {
  let args: unknown[] | undefined;
  query.argTypes.forEach((t, i) => {
    const arg = query.args[i];
    if (t.arity === "list" && t.scalarType === "enum" && Array.isArray(arg)) {
      args ??= [...query.args];
      args[i] = arrayLiteral(arg);
    }
  });
  return args ? { ...query, args } : query;
}

function patch<T extends SqlQueryable>(q: T): T {
  const queryRaw = q.queryRaw.bind(q);
  const executeRaw = q.executeRaw.bind(q);
  q.queryRaw = (query) => queryRaw(fixArgs(query));
  q.executeRaw = (query) => executeRaw(fixArgs(query));
  return q;
}

function patchAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  patch(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => patch<Transaction>(await startTransaction(isolationLevel));
  return adapter;
}

/** Prisma driver-adapter factory over an open PGlite instance. */
export function pgliteAdapterFactory(pglite: PGlite): SqlDriverAdapterFactory {
  const inner = new PrismaPGlite(pglite);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => patchAdapter(await inner.connect()),
  };
}
