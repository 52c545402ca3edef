// Public API of the policy compiler (pure: no I/O, no Prisma).
export { compile, PolicyCompileError, tagCovers } from "./compile";
export { appliesTo, matchesCondition } from "./conditions";
export { comparisonKind, constantRefusal, matchValues, typedLiteral, type ComparisonKind, type Conversion } from "./literals";
export { isSubscribed, type SubscriptionInput, type SubscriptionPolicyInput } from "./subscriptions";
export {
  arrayLiteral,
  castsToVarchar,
  checkFragment,
  formatType,
  isDate,
  isNumeric,
  isString,
  isTimestamp,
  normalizeType,
  parseType,
  quoteIdent,
  quoteLiteral,
  substituteFragment,
  tokenize,
  typeClass,
  TypeParseError,
  type FragmentCheck,
  type MacroValues,
  type Token,
  type TokenKind,
  type TrinoType,
  type TypeClass,
} from "./sql";
export type * from "./types";
