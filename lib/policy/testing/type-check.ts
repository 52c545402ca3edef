// A tiny checker of the expressions the compiler emits: infers the type of a select item the way Trino would
// for the shapes the compiler produces (CAST, CASE, the HASH/date_trunc forms, bare columns, boolean literals)
// and insists both CASE branches agree. Used by the tests to show declared types equal inferred ones.
import { normalizeType, tokenize, type Token } from "../sql";

export function inferType(expr: string, columnTypes: Record<string, string>): string {
  const tokens = tokenize(expr).filter((t) => t.kind !== "ws");
  const [type, end] = infer(tokens, 0, tokens.length, expr, columnTypes);
  if (end !== tokens.length) throw new Error(`trailing tokens in ${expr}`);
  return type;
}

function isWord(t: Token | undefined, w: string): boolean {
  return t !== undefined && t.kind === "ident" && t.text.toUpperCase() === w;
}

/** index of the matching close parenthesis for tokens[open] === "(" */
function closeParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.text === "(" && tokens[i]!.kind === "op") depth++;
    if (tokens[i]!.text === ")" && tokens[i]!.kind === "op" && --depth === 0) return i;
  }
  throw new Error("unbalanced");
}

function infer(tokens: Token[], start: number, end: number, src: string, cols: Record<string, string>): [string, number] {
  const t = tokens[start];
  if (!t) throw new Error("empty expression");
  if (isWord(t, "CAST")) {
    const close = closeParen(tokens, start + 1);
    // the type follows the last top-level AS inside the parentheses
    let depth = 0;
    let as = -1;
    for (let i = start + 2; i < close; i++) {
      const u = tokens[i]!;
      if (u.kind === "op" && u.text === "(") depth++;
      if (u.kind === "op" && u.text === ")") depth--;
      if (depth === 0 && isWord(u, "AS")) as = i;
    }
    if (as < 0) throw new Error("CAST without AS");
    const typeText = src.slice(tokens[as + 1]!.start, tokens[close]!.start).trim();
    return [normalizeType(typeText), close + 1];
  }
  if (isWord(t, "CASE")) {
    // CASE WHEN <pred> THEN <a> ELSE <b> END, with <a>/<b> single inferable expressions
    let depth = 0;
    let thenAt = -1;
    let elseAt = -1;
    let endAt = -1;
    for (let i = start + 1; i < end; i++) {
      const u = tokens[i]!;
      if (u.kind === "op" && u.text === "(") depth++;
      if (u.kind === "op" && u.text === ")") depth--;
      if (depth !== 0) continue;
      if (isWord(u, "THEN") && thenAt < 0) thenAt = i;
      else if (isWord(u, "ELSE") && elseAt < 0) elseAt = i;
      else if (isWord(u, "END")) {
        endAt = i;
        break;
      }
    }
    if (thenAt < 0 || elseAt < 0 || endAt < 0) throw new Error("malformed CASE");
    const [a, aEnd] = infer(tokens, thenAt + 1, elseAt, src, cols);
    const [b, bEnd] = infer(tokens, elseAt + 1, endAt, src, cols);
    if (aEnd !== elseAt || bEnd !== endAt) throw new Error("CASE branch is not a single expression");
    if (a !== b) throw new Error(`CASE branches differ: ${a} vs ${b}`);
    return [a, endAt + 1];
  }
  if (isWord(t, "LOWER") && tokens[start + 1]?.text === "(") {
    // lower(to_hex(...)): to_hex returns varchar
    const close = closeParen(tokens, start + 1);
    if (!isWord(tokens[start + 2], "TO_HEX")) throw new Error("unexpected lower()");
    return ["varchar", close + 1];
  }
  if (isWord(t, "DATE_TRUNC") && tokens[start + 1]?.text === "(") {
    const close = closeParen(tokens, start + 1);
    const arg = tokens[start + 4]!;
    if (arg.kind !== "qident" || tokens[start + 5] !== tokens[close]) throw new Error("unexpected date_trunc()");
    return [columnType(arg.value!, cols), close + 1];
  }
  if (t.kind === "qident") return [columnType(t.value!, cols), start + 1];
  if (isWord(t, "TRUE") || isWord(t, "FALSE")) return ["boolean", start + 1];
  throw new Error(`cannot infer the type of ${src.slice(t.start, t.start + 40)}`);
}

function columnType(name: string, cols: Record<string, string>): string {
  const type = cols[name];
  if (type === undefined) throw new Error(`unknown column ${name}`);
  return normalizeType(type);
}

/** Splits `SELECT a AS "x", b AS "y" FROM ...` into its select items (top-level commas). */
export function selectItems(sql: string): { expr: string; alias: string }[] {
  const tokens = tokenize(sql).filter((t) => t.kind !== "ws");
  if (!isWord(tokens[0], "SELECT")) throw new Error("not a SELECT");
  const items: { expr: string; alias: string }[] = [];
  let depth = 0;
  let itemStart = 1;
  for (let i = 1; i < tokens.length; i++) {
    const u = tokens[i]!;
    if (u.kind === "op" && (u.text === "(" || u.text === "[")) depth++;
    if (u.kind === "op" && (u.text === ")" || u.text === "]")) depth--;
    if (depth === 0 && ((u.kind === "op" && u.text === ",") || isWord(u, "FROM"))) {
      const alias = tokens[i - 1]!;
      if (!isWord(tokens[i - 2], "AS") || alias.kind !== "qident") throw new Error("select item without AS alias");
      items.push({ expr: sql.slice(tokens[itemStart]!.start, tokens[i - 2]!.start).trim(), alias: alias.value! });
      itemStart = i + 1;
      if (isWord(u, "FROM")) break;
    }
  }
  return items;
}
