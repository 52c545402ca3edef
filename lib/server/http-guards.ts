import "server-only";
import { decodePathSegments, MAX_PATH_SEGMENT } from "@/lib/url-path";
import { findTextProblem, textProblem } from "@/lib/validations/text";
import { BadRequestError, ForbiddenError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "./errors";

// HTTP-level checks of the console's own route handlers (lib/server/handlers.ts `route` and `readJson`):
// same-origin writes, JSON bodies of bounded size, path segments that are text. No sessions, no database.

/** Route handlers read at most this much body (server actions have Next's own 1 MB limit). */
export const MAX_BODY_BYTES = 1024 * 1024;

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export const isStateChanging = (method: string) => STATE_CHANGING.has(method.toUpperCase());

/** Hosts this console answers as: the request's own Host (and X-Forwarded-Host), and AUTH_URL's. */
function ownHosts(req: Request): Set<string> {
  const hosts = new Set<string>();
  for (const h of [req.headers.get("host"), ...(req.headers.get("x-forwarded-host") ?? "").split(",")]) {
    if (h?.trim()) hosts.add(h.trim().toLowerCase());
  }
  if (process.env.AUTH_URL) {
    try {
      hosts.add(new URL(process.env.AUTH_URL).host.toLowerCase());
    } catch {
      // an unparsable AUTH_URL adds nothing
    }
  }
  return hosts;
}

/**
 * A write from a browser carries Origin; it must be this console's. No Origin (curl, the e2e API client):
 * allowed unless Sec-Fetch-Site says another site sent it.
 */
export function assertSameOrigin(req: Request): void {
  const origin = req.headers.get("origin");
  if (origin === null) {
    const site = req.headers.get("sec-fetch-site");
    if (site === "cross-site" || site === "same-site") throw new ForbiddenError("Cross-origin requests are not allowed.");
    return;
  }
  let host: string | null = null;
  try {
    const u = new URL(origin);
    if (u.protocol === "http:" || u.protocol === "https:") host = u.host.toLowerCase();
  } catch {
    // "null" (sandboxed frames, file:) and garbage are foreign
  }
  if (!host || !ownHosts(req).has(host)) {
    throw new ForbiddenError(`Cross-origin requests are not allowed (Origin ${JSON.stringify(origin.slice(0, 200))} is not this console).`);
  }
}

export const isJsonContentType = (value: string | null) => value !== null && JSON_TYPE.test(value.trim());

/** Declared body of a request: 413 above the limit, 415 when it is not JSON. */
export function assertJsonBodyHeaders(req: Request, limit = MAX_BODY_BYTES): void {
  const length = req.headers.get("content-length");
  const declared = length === null ? null : Number(length);
  if (declared !== null && Number.isFinite(declared) && declared > limit) throw new PayloadTooLargeError(limit);
  const hasBody = declared !== null ? declared > 0 : req.headers.has("transfer-encoding");
  if (hasBody && !isJsonContentType(req.headers.get("content-type"))) throw new UnsupportedMediaTypeError();
}

/** The body as UTF-8 text, read as a stream and abandoned as soon as it passes `limit` bytes. */
export async function readBodyText(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLargeError(limit);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new BadRequestError("The request body is not valid UTF-8.");
  }
}

/** A JSON object body (415 other media types, 413 too large, 422 not JSON / not an object / text PostgreSQL cannot store). */
export async function readJsonObject(req: Request, opts: { emptyAs?: Record<string, unknown>; limit?: number } = {}): Promise<Record<string, unknown>> {
  const body = await readBodyText(req, opts.limit);
  if (!body.trim()) {
    if (opts.emptyAs !== undefined) return opts.emptyAs;
    throw new ValidationError("The request body must be a JSON object.");
  }
  if (!isJsonContentType(req.headers.get("content-type"))) throw new UnsupportedMediaTypeError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ValidationError("The request body must be JSON.");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new ValidationError("The request body must be a JSON object.");
  const bad = findTextProblem(parsed);
  if (bad) {
    const key = bad.path.join(".") || "_";
    throw new ValidationError(`Invalid input. ${key}: ${bad.message}`, { [key]: [bad.message] });
  }
  return parsed as Record<string, unknown>;
}

/** Path parameters as Next decoded them: text PostgreSQL can store, of sane length; else 400. */
export function assertTextParams(params: Record<string, string | string[] | undefined>): void {
  for (const [name, raw] of Object.entries(params)) {
    for (const value of Array.isArray(raw) ? raw : [raw ?? ""]) {
      const problem = textProblem(value);
      if (problem) throw new BadRequestError(`The path segment '${name}' is not valid: ${problem}`);
      if (value.length > MAX_PATH_SEGMENT) throw new BadRequestError(`The path segment '${name}' is longer than ${MAX_PATH_SEGMENT} characters.`);
    }
  }
}

/** The request's path segments and query values, strictly decoded: 400 for what is not text. */
export function assertTextUrl(req: Request | URL): URL {
  const url = req instanceof URL ? req : new URL(req.url);
  const path = decodePathSegments(url.pathname);
  if (!path.ok) throw new BadRequestError(path.error);
  for (const [name, value] of url.searchParams) {
    const problem = textProblem(name) ?? textProblem(value);
    if (problem) throw new BadRequestError(`The query parameter ${JSON.stringify(name.slice(0, 100))} is not valid: ${problem}`);
    if (value.length > MAX_PATH_SEGMENT) throw new BadRequestError(`The query parameter ${JSON.stringify(name.slice(0, 100))} is longer than ${MAX_PATH_SEGMENT} characters.`);
  }
  return url;
}
