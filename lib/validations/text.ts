// The one string rule every text field shares: what PostgreSQL can store and what is valid Unicode.
import { z } from "zod";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` cannot be stored as text, or null: PostgreSQL rejects NUL in text; a lone surrogate is not Unicode. */
export function textProblem(s: string): string | null {
  if (s.includes("\u0000")) return "NUL characters (\\u0000) are not allowed.";
  if (LONE_SURROGATE.test(s)) return "The text is not valid Unicode (it has an unpaired surrogate).";
  return null;
}

/** `z.string()` that refuses NUL and unpaired surrogates: use it for every text field in lib/validations. */
export function text() {
  return z.string().check((ctx) => {
    const problem = textProblem(ctx.value);
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  });
}

/** The path and problem of the first string (value or key) in `input` that cannot be stored, or null. */
export function findTextProblem(input: unknown, path: (string | number)[] = [], depth = 0): { path: (string | number)[]; message: string } | null {
  if (typeof input === "string") {
    const message = textProblem(input);
    return message ? { path, message } : null;
  }
  if (input === null || typeof input !== "object" || depth > 64) return null;
  if (Array.isArray(input)) {
    for (let i = 0; i < input.length; i++) {
      const found = findTextProblem(input[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, value] of Object.entries(input)) {
    const keyProblem = textProblem(key);
    if (keyProblem) return { path: [...path, key], message: keyProblem };
    const found = findTextProblem(value, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}
