// SQL text helpers for the policy compiler: quoting, Trino type signatures, a small Trino lexer and the
// checks/substitution applied to governor-written SQL fragments. Pure functions only.

// ---------------------------------------------------------------------------------------------------------
// Quoting
// ---------------------------------------------------------------------------------------------------------

/** Replaces lone UTF-16 surrogates (not representable in UTF-8, rejected by Trino) with U+FFFD. */
export function toWellFormed(value: string): string {
  let out: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        if (out !== null) out += value[i]! + value[i + 1]!;
        i++;
        continue;
      }
    } else if (!(c >= 0xdc00 && c <= 0xdfff)) {
      if (out !== null) out += value[i]!;
      continue;
    }
    if (out === null) out = value.slice(0, i);
    out += "\uFFFD";
  }
  return out ?? value;
}

/** A Trino delimited identifier: `"` doubled. Lone surrogates become U+FFFD. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error("empty identifier");
  return `"${toWellFormed(name).replaceAll('"', '""')}"`;
}

/**
 * Code points that are written as escapes rather than raw: control characters (C0, DEL, C1), line/paragraph
 * separators, zero-width and bidirectional formatting characters (they could make SHOW CREATE VIEW read
 * differently from what runs) and the BOM.
 */
function isUnsafeCodePoint(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2069) ||
    cp === 0xfeff
  );
}

// eslint-disable-next-line no-control-regex
const UNSAFE_RE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

/**
 * A Trino string literal for any JS string. Plain `'...'` with `'` doubled (Trino literals have no backslash
 * escapes); when the value holds control or invisible formatting characters, a Unicode literal `U&'...'`
 * whose escape character `\` is written `\\` and each such character `\XXXX` / `\+XXXXXX`. Lone surrogates
 * become U+FFFD. Both forms have the same type (varchar(n)).
 */
export function quoteLiteral(value: string): string {
  const s = toWellFormed(value);
  if (!UNSAFE_RE.test(s)) return `'${s.replaceAll("'", "''")}'`;
  let out = "U&'";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === "'") out += "''";
    else if (ch === "\\") out += "\\\\";
    else if (isUnsafeCodePoint(cp)) out += `\\${cp.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}'`;
}

/** `ARRAY['a', 'b']`, or a typed empty array (an untyped `ARRAY[]` is array(unknown)). */
export function arrayLiteral(values: readonly string[]): string {
  if (values.length === 0) return "CAST(ARRAY[] AS array(varchar))";
  return `ARRAY[${values.map(quoteLiteral).join(", ")}]`;
}

/**
 * Sorted (by UTF-16 code units, locale-free), de-duplicated copy: the order of SQL lists never depends on input
 * order. Values are made well-formed first, so two that become the same literal are one value.
 */
export function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values.map(toWellFormed))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------------------
// Trino type signatures
// ---------------------------------------------------------------------------------------------------------

export type TypeParam = { kind: "number"; value: number } | { kind: "type"; type: TrinoType; field?: string };

export interface TrinoType {
  /** lower-case base name: varchar, decimal, timestamp, array, row, "interval day to second", ... */
  base: string;
  params: TypeParam[];
  withTimeZone: boolean;
}

export class TypeParseError extends Error {}

const BASE_ALIASES: Record<string, string> = { int: "integer", "double precision": "double" };

/**
 * Parses a Trino type signature (`varchar(20)`, `decimal(12,2)`, `timestamp(3) with time zone`,
 * `array(varchar)`, `map(varchar, bigint)`, `row(a bigint, "b c" varchar)`, `interval day to second`, ...).
 * Strict: anything else throws TypeParseError, so only grammar-conformant text is ever re-emitted into SQL.
 */
export function parseType(text: string): TrinoType {
  const p = new TypeParser(text);
  const t = p.parseType();
  p.skipWs();
  if (!p.atEnd()) throw new TypeParseError(`unexpected text in type '${text}' at ${p.pos}`);
  return t;
}

class TypeParser {
  pos = 0;
  depth = 0;
  constructor(readonly text: string) {
    if (text.length > 2000) throw new TypeParseError("type signature too long");
  }
  atEnd(): boolean {
    return this.pos >= this.text.length;
  }
  skipWs(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  peek(): string {
    this.skipWs();
    return this.text[this.pos] ?? "";
  }
  expect(ch: string): void {
    if (this.peek() !== ch) throw new TypeParseError(`expected '${ch}' in type '${this.text}' at ${this.pos}`);
    this.pos++;
  }
  word(): string | null {
    this.skipWs();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!m) return null;
    this.pos += m[0].length;
    return m[0].toLowerCase();
  }
  peekWord(): string | null {
    const save = this.pos;
    const w = this.word();
    this.pos = save;
    return w;
  }
  number(): number | null {
    this.skipWs();
    const m = /^\d{1,10}/.exec(this.text.slice(this.pos));
    if (!m) return null;
    this.pos += m[0].length;
    return Number(m[0]);
  }
  quoted(): string {
    this.skipWs();
    if (this.text[this.pos] !== '"') throw new TypeParseError("expected quoted field name");
    let i = this.pos + 1;
    let out = "";
    for (;;) {
      if (i >= this.text.length) throw new TypeParseError("unterminated quoted field name");
      const ch = this.text[i]!;
      if (ch === '"') {
        if (this.text[i + 1] === '"') {
          out += '"';
          i += 2;
          continue;
        }
        break;
      }
      out += ch;
      i++;
    }
    this.pos = i + 1;
    if (out.length === 0) throw new TypeParseError("empty field name");
    return out;
  }
  parseType(): TrinoType {
    if (++this.depth > 32) throw new TypeParseError("type nested too deeply");
    let base = this.word();
    if (base === null) throw new TypeParseError(`expected a type name in '${this.text}' at ${this.pos}`);
    if (base === "interval") {
      const a = this.word();
      const to = this.word();
      const b = this.word();
      if (to !== "to" || !((a === "day" && b === "second") || (a === "year" && b === "month"))) {
        throw new TypeParseError(`bad interval type '${this.text}'`);
      }
      this.depth--;
      return { base: `interval ${a} to ${b}`, params: [], withTimeZone: false };
    }
    if (base === "double" && this.peekWord() === "precision") {
      this.word();
      base = "double precision";
    }
    base = BASE_ALIASES[base] ?? base;
    const params: TypeParam[] = [];
    if (this.peek() === "(") {
      this.pos++;
      for (;;) {
        params.push(this.parseParam(base));
        const c = this.peek();
        if (c === ",") {
          this.pos++;
          continue;
        }
        if (c === ")") {
          this.pos++;
          break;
        }
        throw new TypeParseError(`expected ',' or ')' in type '${this.text}' at ${this.pos}`);
      }
    }
    let withTimeZone = false;
    const next = this.peekWord();
    if ((next === "with" || next === "without") && (base === "timestamp" || base === "time")) {
      this.word();
      if (this.word() !== "time" || this.word() !== "zone") throw new TypeParseError(`bad time zone clause in '${this.text}'`);
      withTimeZone = next === "with";
    }
    this.depth--;
    return { base, params, withTimeZone };
  }
  parseParam(base: string): TypeParam {
    const c = this.peek();
    if (/[0-9]/.test(c)) {
      const n = this.number();
      if (n === null) throw new TypeParseError("bad number");
      return { kind: "number", value: n };
    }
    if (base === "row") {
      if (c === '"') {
        const field = this.quoted();
        return { kind: "type", field, type: this.parseType() };
      }
      // `row(a bigint)` names a field; `row(bigint)` is anonymous.
      const save = this.pos;
      const w = this.word();
      const after = this.peek();
      if (w !== null && after !== "(" && after !== "," && after !== ")" && after !== "") {
        const save2 = this.pos;
        const w2 = this.peekWord();
        // `timestamp with time zone`, `interval day to second`, `double precision` as anonymous field types
        const continuesType =
          ((w === "timestamp" || w === "time") && (w2 === "with" || w2 === "without")) ||
          (w === "interval" && (w2 === "day" || w2 === "year")) ||
          (w === "double" && w2 === "precision");
        this.pos = save2;
        if (!continuesType) {
          const rawName = this.text.slice(save, this.pos).trim();
          return { kind: "type", field: rawName, type: this.parseType() };
        }
      }
      this.pos = save;
    }
    return { kind: "type", type: this.parseType() };
  }
}

/** Canonical text of a type: lower-case names, row field names always quoted. */
export function formatType(t: TrinoType): string {
  let s = t.base;
  if (t.params.length > 0) {
    const parts = t.params.map((p) =>
      p.kind === "number" ? String(p.value) : p.field !== undefined ? `${quoteIdent(p.field)} ${formatType(p.type)}` : formatType(p.type),
    );
    const sep = t.params.every((p) => p.kind === "number") ? "," : ", ";
    s += `(${parts.join(sep)})`;
  }
  if (t.withTimeZone) s += " with time zone";
  return s;
}

/** Parses and re-formats; throws TypeParseError on anything that is not a type signature. */
export function normalizeType(text: string): string {
  return formatType(parseType(text));
}

export type TypeClass = "integer" | "float" | "decimal" | "string" | "boolean" | "date" | "timestamp" | "time" | "other";

export function typeClass(t: TrinoType): TypeClass {
  switch (t.base) {
    case "tinyint":
    case "smallint":
    case "integer":
    case "bigint":
      return "integer";
    case "real":
    case "double":
      return "float";
    case "decimal":
      return "decimal";
    case "varchar":
    case "char":
      return "string";
    case "boolean":
      return "boolean";
    case "date":
      return "date";
    case "timestamp":
      return "timestamp";
    case "time":
      return "time";
    default:
      return "other";
  }
}

export const isNumeric = (t: TrinoType): boolean => ["integer", "float", "decimal"].includes(typeClass(t));
export const isString = (t: TrinoType): boolean => typeClass(t) === "string";
export const isDate = (t: TrinoType): boolean => typeClass(t) === "date";
export const isTimestamp = (t: TrinoType): boolean => typeClass(t) === "timestamp";

/** Types Trino can `CAST(x AS varchar)` without a run-time failure for some values (json, binary, containers excluded). */
export function castsToVarchar(t: TrinoType): boolean {
  const c = typeClass(t);
  return c !== "other" || t.base === "uuid" || t.base === "ipaddress";
}

export function numberParam(t: TrinoType, i: number): number | undefined {
  const p = t.params[i];
  return p && p.kind === "number" ? p.value : undefined;
}

/** decimal(p,s) precision/scale with Trino's defaults (decimal = decimal(38,0)). */
export function decimalPrecisionScale(t: TrinoType): { precision: number; scale: number } {
  return { precision: numberParam(t, 0) ?? 38, scale: numberParam(t, 1) ?? 0 };
}

// ---------------------------------------------------------------------------------------------------------
// Lexer (Trino's lexical structure, enough to find literals, identifiers, comments and macros)
// ---------------------------------------------------------------------------------------------------------

export type TokenKind =
  | "ws"
  | "comment"
  | "string" // '...', U&'...', X'...'
  | "qident" // "..."
  | "ident"
  | "number"
  | "op"
  | "macro" // @name
  | "placeholder" // {col}
  | "error";

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  /** decoded value of a string literal or quoted identifier */
  value?: string;
  /** for errors: what went wrong */
  error?: string;
}

const OPS3 = ["<=>"];
const OPS2 = ["<=", ">=", "<>", "!=", "||", "->", "=>"];
const OPS1 = "()[],.+-*/%=<>?:|&^~;";

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  const push = (kind: TokenKind, end: number, extra?: Partial<Token>) => {
    tokens.push({ kind, text: sql.slice(i, end), start: i, ...extra });
    i = end;
  };
  while (i < n) {
    const c = sql[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      let j = i + 1;
      while (j < n && (sql[j] === " " || sql[j] === "\t" || sql[j] === "\n" || sql[j] === "\r")) j++;
      push("ws", j);
      continue;
    }
    if (c === "-" && sql[i + 1] === "-") {
      let j = i + 2;
      while (j < n && sql[j] !== "\n" && sql[j] !== "\r") j++;
      push("comment", j);
      continue;
    }
    if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      if (end < 0) push("error", n, { error: "unterminated comment" });
      else push("comment", end + 2);
      continue;
    }
    if (c === "'" || ((c === "U" || c === "u") && sql[i + 1] === "&" && sql[i + 2] === "'") || ((c === "X" || c === "x") && sql[i + 1] === "'")) {
      const open = c === "'" ? i : sql.indexOf("'", i);
      const r = scanQuoted(sql, open, "'");
      if (r === null) {
        push("error", n, { error: "unterminated string literal" });
        continue;
      }
      const raw = r.value;
      if (c === "U" || c === "u") {
        const decoded = decodeUnicodeEscapes(raw);
        if (decoded === null) push("error", r.end, { error: "bad Unicode escape" });
        else push("string", r.end, { value: decoded });
      } else {
        push("string", r.end, { value: raw });
      }
      continue;
    }
    if (c === '"') {
      const r = scanQuoted(sql, i, '"');
      if (r === null) push("error", n, { error: "unterminated quoted identifier" });
      else push("qident", r.end, { value: r.value });
      continue;
    }
    if (c === "`") {
      push("error", i + 1, { error: "backquoted identifiers are not supported" });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(sql[j]!)) j++;
      push("ident", j);
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(sql[i + 1] ?? ""))) {
      const m = /^(?:0[xX][0-9A-Fa-f_]+|0[bB][01_]+|0[oO][0-7_]+|(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?)/.exec(sql.slice(i, i + 400));
      push("number", i + (m ? m[0].length : 1));
      continue;
    }
    if (c === "@") {
      const m = /^@[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 200));
      if (m) push("macro", i + m[0].length);
      else push("error", i + 1, { error: "stray '@'" });
      continue;
    }
    if (c === "{") {
      if (sql.startsWith("{col}", i)) push("placeholder", i + 5);
      else push("error", i + 1, { error: "unexpected '{'" });
      continue;
    }
    const three = sql.slice(i, i + 3);
    if (OPS3.includes(three)) {
      push("op", i + 3);
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (OPS2.includes(two)) {
      push("op", i + 2);
      continue;
    }
    if (OPS1.includes(c)) {
      push("op", i + 1);
      continue;
    }
    const cp = sql.codePointAt(i)!;
    push("error", i + (cp > 0xffff ? 2 : 1), { error: `unexpected character U+${cp.toString(16).toUpperCase().padStart(4, "0")}` });
  }
  return tokens;
}

function scanQuoted(sql: string, open: number, q: string): { end: number; value: string } | null {
  let j = open + 1;
  let value = "";
  for (;;) {
    const k = sql.indexOf(q, j);
    if (k < 0) return null;
    value += sql.slice(j, k);
    if (sql[k + 1] === q) {
      value += q;
      j = k + 2;
      continue;
    }
    return { end: k + 1, value };
  }
}

/** Decodes the body of a U&'...' literal (default escape `\`) the way Trino's AstBuilder does; null when invalid. */
export function decodeUnicodeEscapes(raw: string): string | null {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = raw[i + 1];
    if (next === "\\") {
      out += "\\";
      i++;
      continue;
    }
    const len = next === "+" ? 6 : 4;
    const start = next === "+" ? i + 2 : i + 1;
    const hex = raw.slice(start, start + len);
    if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) return null;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    out += String.fromCodePoint(cp);
    i = start + len - 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Governor-written SQL fragments (WHERE filters, cell predicates, CUSTOM masks)
// ---------------------------------------------------------------------------------------------------------

export const MACROS = ["@username", "@groups", "@attribute", "@purposes"] as const;

export interface FragmentOptions {
  /** `{col}` allowed (mask expressions and cell predicates) */
  allowPlaceholder: boolean;
}

export type FragmentCheck = { ok: true; tokens: Token[] } | { ok: false; error: string };

/**
 * Checks a governor-written expression before it is embedded as `(<fragment>)`. Rejected: comments (a `--`
 * would swallow the rest of the single-line view SQL, e.g. the other row filters), `;`, unbalanced
 * parentheses/brackets, unterminated literals, characters outside Trino's lexical structure, unknown macros,
 * `@attribute` not followed by `('key')`, and `{col}` where not allowed.
 */
export function checkFragment(sql: string, opts: FragmentOptions): FragmentCheck {
  if (sql.trim().length === 0) return { ok: false, error: "empty expression" };
  const tokens = tokenize(sql);
  const stack: string[] = [];
  const sig = tokens.filter((t) => t.kind !== "ws");
  for (let k = 0; k < sig.length; k++) {
    const t = sig[k]!;
    switch (t.kind) {
      case "error":
        return { ok: false, error: t.error ?? "invalid text" };
      case "comment":
        return { ok: false, error: "comments are not allowed" };
      case "placeholder":
        if (!opts.allowPlaceholder) return { ok: false, error: "{col} is only allowed in mask expressions and cell predicates" };
        break;
      case "macro": {
        const name = t.text.toLowerCase();
        if (!(MACROS as readonly string[]).includes(name)) return { ok: false, error: `unknown macro ${t.text}` };
        if (name === "@attribute") {
          const a = sig[k + 1];
          const b = sig[k + 2];
          const c = sig[k + 3];
          if (!(a?.text === "(" && b?.kind === "string" && b.text.startsWith("'") && c?.text === ")")) {
            return { ok: false, error: "@attribute must be written @attribute('key')" };
          }
          k += 3;
        }
        break;
      }
      case "op":
        if (t.text === ";") return { ok: false, error: "';' is not allowed" };
        if (t.text === "(" || t.text === "[") stack.push(t.text);
        else if (t.text === ")" || t.text === "]") {
          const open = stack.pop();
          if (open !== (t.text === ")" ? "(" : "[")) return { ok: false, error: `unbalanced '${t.text}'` };
        }
        break;
      default:
        break;
    }
  }
  if (stack.length > 0) return { ok: false, error: `unclosed '${stack[stack.length - 1]}'` };
  return { ok: true, tokens };
}

export interface MacroValues {
  username: string;
  groups: readonly string[];
  attributes: Readonly<Record<string, readonly string[]>>;
  purposes: readonly string[];
}

/**
 * Substitutes macros and `{col}` in a fragment already accepted by checkFragment. Works on tokens, so text
 * inside the governor's string literals and quoted identifiers is never touched: `'@username'` stays as is.
 * Macro names are case-insensitive. Multi-valued macros become sorted, de-duplicated array literals.
 */
export function substituteFragment(tokens: readonly Token[], values: MacroValues, column?: string): string {
  let out = "";
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === "placeholder") {
      if (column === undefined) throw new Error("{col} outside a mask");
      out += quoteIdent(column);
      continue;
    }
    if (t.kind !== "macro") {
      out += t.text;
      continue;
    }
    const name = t.text.toLowerCase();
    if (name === "@username") out += quoteLiteral(values.username);
    else if (name === "@groups") out += arrayLiteral(sortedUnique(values.groups));
    else if (name === "@purposes") out += arrayLiteral(sortedUnique(values.purposes));
    else if (name === "@attribute") {
      // tokens: @attribute [ws] ( [ws] 'key' [ws] ) — skip through the closing parenthesis
      let key: string | undefined;
      let j = k + 1;
      for (; j < tokens.length; j++) {
        const u = tokens[j]!;
        if (u.kind === "string") key = u.value;
        if (u.kind === "op" && u.text === ")") break;
      }
      k = j;
      const vals = key !== undefined && Object.hasOwn(values.attributes, key) ? values.attributes[key]! : [];
      out += arrayLiteral(sortedUnique(vals));
    } else throw new Error(`unknown macro ${t.text}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------------------

/** A double literal Trino parses back to exactly `x` (shortest round-trip digits, `E` exponent). */
export function doubleLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new Error("not a finite number");
  return x.toExponential().replace("e+", "E").replace("e-", "E-");
}
