// Typed comparisons of a column with text values (MATCH_ATTRIBUTE, MATCH_GROUP): `"col" IN (<literals of the
// column's own type>)`, never `CAST("col" AS varchar) IN ('...')`, so Trino can push the filter into the
// connector and prune partitions. Pure functions only.
//
// Semantics are those of the varchar comparison (policy-model.md: "rows whose column is among the user's
// values"): a row matches when Trino's varchar rendering of its value, CAST(col AS varchar), equals a value.
// So a value converts only when it is exactly that rendering of some value of the column's type (Trino 476
// sources: BigintOperators, Decimals.toString, DateTimeUtils.printDate, DateTimes.formatTimestamp,
// TimeOperators, BooleanOperators, CharacterStringCasts.charToVarcharCast, UuidOperators,
// IpAddressOperators, DoubleOperators); any other value can never have matched and is dropped.
import { decimalPrecisionScale, numberParam, quoteLiteral, typeClass, type TrinoType } from "./sql";

export type Conversion = { ok: true; literal: string } | { ok: false; reason: string };

/**
 * How a column of this type is compared with text values:
 * - `typed`: `"col" IN (<typed literals>)`, exactly the varchar comparison;
 * - `typed+varchar`: the typed list (a superset: every row it misses has a rendering that is not among the
 *   values) ANDed with the varchar comparison, which alone decides (double: `0E0 = -0E0` in Trino, so equal
 *   values can have different renderings);
 * - `varchar`: `CAST("col" AS varchar) IN (...)`: no typed literal is faithful (see lib/policy/README.md).
 */
export type ComparisonKind = "typed" | "typed+varchar" | "varchar";

export function comparisonKind(t: TrinoType): ComparisonKind {
  switch (typeClass(t)) {
    case "integer":
    case "decimal":
    case "boolean":
    case "date":
    case "string":
      return "typed";
    case "timestamp":
    case "time":
      return t.withTimeZone ? "varchar" : "typed";
    case "float":
      return t.base === "double" ? "typed+varchar" : "varchar";
    default:
      return t.base === "uuid" || t.base === "ipaddress" ? "typed" : "varchar";
  }
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  tinyint: [-128n, 127n],
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

const show = (value: string): string => quoteLiteral(value.length > 60 ? `${value.slice(0, 57)}...` : value);

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Default fractional-second precision of `timestamp` / `time` without a parameter (Trino: 3). */
const fractionDigits = (t: TrinoType): number => numberParam(t, 0) ?? 3;

/**
 * The literal of the column's type whose varchar rendering in Trino is exactly `value`, or why there is none
 * (always none for the types whose comparisonKind is `varchar`).
 */
export function typedLiteral(value: string, t: TrinoType): Conversion {
  const fail = (reason: string): Conversion => ({ ok: false, reason: `${show(value)} ${reason}` });
  const ok = (literal: string): Conversion => ({ ok: true, literal });
  if (comparisonKind(t) === "varchar") return fail(`has no faithful literal of type ${t.base}${t.withTimeZone ? " with time zone" : ""}: compared as varchar`);
  switch (typeClass(t)) {
    case "integer": {
      // Long.toString: optional '-', no '+', no leading zeros, no "-0"
      if (!/^-?(0|[1-9][0-9]{0,18})$/.test(value) || value === "-0") return fail(`is not a ${t.base} (digits, optional '-', no leading zeros)`);
      const [lo, hi] = INT_RANGES[t.base]!;
      const v = BigInt(value);
      if (v < lo || v > hi) return fail(`is out of range for ${t.base} (${lo} to ${hi})`);
      // a plain literal is an integer (or bigint beyond the integer range): tinyint and smallint columns, and
      // the minimum values (a negated literal one past the maximum), are written with their type
      if (t.base === "tinyint" || t.base === "smallint" || v === lo) return ok(`${t.base.toUpperCase()} '${value}'`);
      return ok(value);
    }
    case "decimal": {
      // Decimals.toString: optional '-', integer part without leading zeros ("0" when none), exactly `scale` decimals
      const { precision, scale } = decimalPrecisionScale(t);
      const m = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/.exec(value);
      const expect = scale === 0 ? "no decimal point" : `exactly ${scale} decimal place${scale === 1 ? "" : "s"}`;
      if (!m || (m[3] ?? "").length !== scale) return fail(`is not a decimal(${precision},${scale}) as Trino writes it (${expect})`);
      const intDigits = m[2] === "0" ? 0 : m[2]!.length;
      if (intDigits > precision - scale) return fail(`is out of range for decimal(${precision},${scale}) (at most ${precision - scale} integer digits)`);
      if (m[1] === "-" && /^0*$/.test(`${m[2]}${m[3] ?? ""}`)) return fail(`is not a decimal(${precision},${scale}) as Trino writes it (zero has no sign)`);
      return ok(`DECIMAL '${value}'`);
    }
    case "boolean":
      return value === "true" || value === "false" ? ok(value) : fail("is not a boolean (true or false, lower case)");
    case "date": {
      const d = parseDate(value, "joda");
      return d === null ? fail("is not a date as Trino writes it (YYYY-MM-DD)") : ok(`DATE '${value}'`);
    }
    case "timestamp": {
      const p = fractionDigits(t);
      const m = /^([^ ]+) ([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?$/.exec(value);
      const days = m ? parseDate(m[1]!, "java") : null;
      const shape = `is not a timestamp(${p}) as Trino writes it (YYYY-MM-DD hh:mm:ss${p > 0 ? `.${"f".repeat(p)}` : ""})`;
      if (!m || days === null || !validClock(m[2]!, m[3]!, m[4]!) || (m[5] ?? "").length !== p) return fail(shape);
      // the value is epoch microseconds (a Java long)
      const second = BigInt(days) * 86400n + BigInt(Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]));
      const micros = second * 1_000_000n + BigInt((m[5] ?? "").padEnd(6, "0").slice(0, 6));
      if (micros < -(2n ** 63n) || micros >= 2n ** 63n) return fail(`is out of range for timestamp(${p})`);
      return ok(`TIMESTAMP '${value}'`);
    }
    case "time": {
      const p = fractionDigits(t);
      const m = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?$/.exec(value);
      if (!m || !validClock(m[1]!, m[2]!, m[3]!) || (m[4] ?? "").length !== p) {
        return fail(`is not a time(${p}) as Trino writes it (hh:mm:ss${p > 0 ? `.${"f".repeat(p)}` : ""})`);
      }
      return ok(`TIME '${value}'`);
    }
    case "string": {
      if (t.base === "varchar") {
        const n = numberParam(t, 0);
        // a longer literal would widen the column's type (an implicit cast on the column) and can never be equal
        if (n !== undefined && codePointLength(value) > n) return fail(`is longer than ${n} characters, the length of varchar(${n})`);
        return ok(quoteLiteral(value));
      }
      // char(n) as varchar is padded with spaces to exactly n characters; char comparison ignores trailing spaces
      const n = numberParam(t, 0) ?? 1;
      if (codePointLength(value) !== n) return fail(`is not ${n} characters long (Trino writes a char(${n}) padded with spaces to ${n})`);
      return ok(`CAST(${quoteLiteral(value)} AS char(${n}))`);
    }
    case "float": {
      // double only (see comparisonKind): DecimalFormat "0.0###################E0", and 0E0, -0E0, Infinity
      // for the special values. The literal is the value itself (a double literal); the varchar comparison decides.
      if (value === "Infinity") return ok("infinity()");
      if (value === "-Infinity") return ok("-infinity()");
      if (!/^-?(0E0|[1-9]\.[0-9]{1,20}E-?(0|[1-9][0-9]{0,2}))$/.test(value) || !Number.isFinite(Number(value))) {
        return fail("is not a double as Trino writes it (like 1.5E0, -2.0E-3, 0E0)");
      }
      return ok(value);
    }
    default:
      if (t.base === "uuid") {
        // java.util.UUID.toString: lower-case hex, 8-4-4-4-12
        return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)
          ? ok(`UUID '${value}'`)
          : fail("is not a uuid as Trino writes it (lower-case hex, 8-4-4-4-12)");
      }
      if (t.base === "ipaddress") {
        return canonicalIp(value) ? ok(`IPADDRESS '${value}'`) : fail("is not an ipaddress as Trino writes it (a.b.c.d, or IPv6 in RFC 5952 form)");
      }
      return fail(`cannot be compared with a ${t.base} as a typed value`);
  }
}

/**
 * The message refusing a governor-written constant that does not convert: "'abc' is not a bigint (...): the
 * filter on nationkey (bigint) compares values of its type".
 */
export function constantRefusal(value: string, column: string, t: TrinoType, typeText: string): string | null {
  if (comparisonKind(t) === "varchar") return null;
  const r = typedLiteral(value, t);
  return r.ok ? null : `${r.reason}: the filter on ${column} (${typeText}) compares values of its type`;
}

/**
 * `column` (quoted) among `values` (sorted, de-duplicated, well-formed): the predicate, `false` when no value
 * can match.
 */
export function matchValues(column: string, t: TrinoType, values: readonly string[]): string {
  const kind = comparisonKind(t);
  const asVarchar = `CAST(${column} AS varchar)`;
  // always IN, one value or many (the console's SQL preview and its tests read `IN ('EU')`); Trino extracts the
  // same domain from `IN (x)` as from `= x`
  const among = (lhs: string, items: readonly string[]) => `${lhs} IN (${items.join(", ")})`;
  if (kind === "varchar") return values.length === 0 ? "false" : among(asVarchar, values.map(quoteLiteral));
  // NaN never equals anything, so no typed list covers its rows: the varchar comparison alone
  if (kind === "typed+varchar" && values.includes("NaN")) return among(asVarchar, values.map(quoteLiteral));
  const kept: string[] = [];
  const literals: string[] = [];
  for (const v of values) {
    const r = typedLiteral(v, t);
    if (!r.ok) continue;
    kept.push(v);
    literals.push(r.literal);
    // 0E0 and -0E0: both zeros in the typed list, whichever equality the connector applies
    if (kind === "typed+varchar" && Number(v) === 0) literals.push(r.literal.startsWith("-") ? "0E0" : "-0E0");
  }
  if (kept.length === 0) return "false";
  const typed = among(column, [...new Set(literals)]);
  return kind === "typed" ? typed : `${typed} AND ${among(asVarchar, kept.map(quoteLiteral))}`;
}

// ---------------------------------------------------------------------------------------------------------
// Dates as Trino writes them
// ---------------------------------------------------------------------------------------------------------

function validClock(h: string, mi: string, s: string): boolean {
  return Number(h) <= 23 && Number(mi) <= 59 && Number(s) <= 59;
}

/** Days from 1970-01-01 of a proleptic Gregorian date (year 0 exists, as in ISO 8601). */
function epochDay(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  const leap = (((y % 4) + 4) % 4 === 0 && ((y % 100) + 100) % 100 !== 0) || ((y % 400) + 400) % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/**
 * Epoch day of `YYYY-MM-DD` when it is exactly how Trino writes that date, else null. Years of up to four
 * digits are zero-padded to four, with '-' when negative; longer years are written in full: Joda (`joda`, the
 * date type) without a sign, java.time `uuuu` (`java`, timestamps) with '+'. A date is an int of days.
 */
function parseDate(text: string, style: "joda" | "java"): number | null {
  const m = /^([+-]?)([0-9]{4,9})-([0-9]{2})-([0-9]{2})$/.exec(text);
  if (!m) return null;
  const [, sign, digits, mm, dd] = m as unknown as [string, string, string, string, string];
  const abs = Number(digits);
  if (digits.length > 4 && digits[0] === "0") return null;
  if (sign === "-") {
    if (abs === 0) return null;
  } else if (digits.length === 4) {
    if (sign === "+") return null;
  } else if ((sign === "+") !== (style === "java")) {
    return null;
  }
  const y = sign === "-" ? -abs : abs;
  const month = Number(mm);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)) return null;
  const days = epochDay(y, month, day);
  if (style === "joda" && (days < -(2 ** 31) || days > 2 ** 31 - 1)) return null;
  return days;
}

// ---------------------------------------------------------------------------------------------------------
// IP addresses as Trino writes them (Guava InetAddresses.toAddrString of InetAddress.getByAddress)
// ---------------------------------------------------------------------------------------------------------

function canonicalIp(value: string): boolean {
  if (/^[0-9.]+$/.test(value)) return /^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/.test(value);
  if (!/^[0-9a-f:]{2,39}$/.test(value)) return false;
  const halves = value.split("::");
  if (halves.length > 2) return false;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...tail].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return false;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return false;
  const hextets = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail].map((g) => parseInt(g, 16));
  // an IPv4-mapped address (::ffff:a.b.c.d) is an Inet4Address to Java: written a.b.c.d
  if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff) return false;
  return ipv6String(hextets) === value;
}

/** Guava's hextetsToIPv6String after compressLongestRunOfZeroes: the first longest run of >= 2 zeros becomes "::". */
function ipv6String(hextets: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (hextets[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && hextets[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestLength < 2) return hextets.map((h) => h.toString(16)).join(":");
  const part = (xs: number[]) => xs.map((h) => h.toString(16)).join(":");
  return `${part(hextets.slice(0, bestStart))}::${part(hextets.slice(bestStart + bestLength))}`;
}
