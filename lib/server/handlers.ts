import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { requireActor, type Actor } from "./actor";
import { findTextProblem } from "@/lib/validations/text";
import { AppError, ValidationError } from "./errors";
import { assertJsonBodyHeaders, assertSameOrigin, assertTextParams, assertTextUrl, isStateChanging, readJsonObject } from "./http-guards";
import type { RoleName } from "@/lib/roles";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; error: string; fieldErrors?: Record<string, string[]> };

export function zodToValidationError(error: z.ZodError): ValidationError {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  const first = error.issues[0];
  const where = first?.path.length ? `${first.path.join(".")}: ` : "";
  return new ValidationError(`Invalid input. ${where}${first?.message ?? ""}`.trim(), fieldErrors);
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  // Any string anywhere (even one a schema lets through as z.unknown()): PostgreSQL cannot store NUL.
  const bad = findTextProblem(input);
  if (bad) {
    const key = bad.path.join(".") || "_";
    throw new ValidationError(`Invalid input. ${bad.path.length ? `${key}: ` : ""}${bad.message}`, { [key]: [bad.message] });
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw zodToValidationError(parsed.error);
  return parsed.data;
}

/** An error as the console answers it: AppErrors as they say, anything else a logged 500. */
export function toFailure(error: unknown): { status: number; error: string; fieldErrors?: Record<string, string[]> } {
  if (error instanceof AppError) return { status: error.status, error: error.message, fieldErrors: error.fieldErrors };
  if (error instanceof z.ZodError) return toFailure(zodToValidationError(error));
  console.error(error);
  return { status: 500, error: "Something went wrong on the server." };
}

/**
 * The one wrapper for server actions: authenticates, checks the coarse role, validates the input with zod,
 * and maps failures to a result the form can show. Fine-grained checks (ownership) live in lib/server.
 */
export function action<S extends z.ZodType, T>(
  opts: { roles?: readonly RoleName[]; schema: S },
  fn: (actor: Actor, input: z.infer<S>) => Promise<T>,
): (input: unknown) => Promise<ActionResult<T>> {
  return async (input: unknown) => {
    try {
      const actor = await requireActor(opts.roles ?? []);
      const data = await fn(actor, parseInput(opts.schema, input));
      return { ok: true, data };
    } catch (error) {
      if (isNextControlFlow(error)) throw error;
      return { ok: false, ...toFailure(error) };
    }
  };
}

type RouteContext = { params: Promise<Record<string, string>> };

/**
 * The one wrapper for route handlers: writes only from this console's origin (403) with a JSON body (415) of
 * at most 1 MB (413), path segments that are text (400), session + role on the server, errors as JSON.
 */
export function route<T>(
  opts: { roles?: readonly RoleName[] },
  fn: (ctx: { actor: Actor; req: Request; params: Record<string, string> }) => Promise<T>,
): (req: Request, ctx: RouteContext) => Promise<Response> {
  return async (req, ctx) => {
    try {
      if (isStateChanging(req.method)) {
        assertSameOrigin(req);
        assertJsonBodyHeaders(req);
      }
      assertTextUrl(req);
      const params = (await ctx?.params) ?? {};
      assertTextParams(params);
      const actor = await requireActor(opts.roles ?? []);
      const result = await fn({ actor, req, params });
      return result instanceof Response ? result : NextResponse.json(result ?? { ok: true });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function errorResponse(error: unknown): Response {
  const f = toFailure(error);
  return NextResponse.json({ error: f.error, ...(f.fieldErrors ? { fieldErrors: f.fieldErrors } : {}) }, { status: f.status });
}

/** The request body as a JSON object, read as a stream of at most 1 MB (see http-guards.ts). */
export async function readJson(req: Request, opts: { emptyAs?: Record<string, unknown> } = {}): Promise<unknown> {
  return readJsonObject(req, opts);
}

function isNextControlFlow(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest === "NEXT_NOT_FOUND");
}
