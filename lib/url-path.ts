// Strict decoding of URL path segments, shared by proxy.ts (before Next decodes them itself and, on `%ZZ` or
// bytes that are not UTF-8, answers a bare 500) and the route wrappers. No server-only imports: proxy.ts uses it.
import { textProblem } from "./validations/text";

/** Longest path segment a route takes (names are at most 128-256 characters; ids 64). */
export const MAX_PATH_SEGMENT = 512;

export type DecodedPath = { ok: true; segments: string[] } | { ok: false; error: string };

/** `%ZZ`, percent-encoded bytes that are not UTF-8 (`%C3%28`, `%ED%A0%80`), NUL and over-long segments are refused. */
export function decodePathSegments(rawPathname: string): DecodedPath {
  const segments: string[] = [];
  for (const seg of rawPathname.split("/")) {
    if (seg === "") continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(seg);
    } catch {
      return { ok: false, error: `The path segment ${JSON.stringify(seg.slice(0, 100))} is not valid percent-encoded UTF-8.` };
    }
    const problem = textProblem(decoded);
    if (problem) return { ok: false, error: `The path segment ${JSON.stringify(seg.slice(0, 100))} is not valid: ${problem}` };
    if (decoded.length > MAX_PATH_SEGMENT) return { ok: false, error: `A path segment is longer than ${MAX_PATH_SEGMENT} characters.` };
    segments.push(decoded);
  }
  return { ok: true, segments };
}
