// Who a policy applies to. Usernames compare case-insensitively (Trino user names are stored lower-case);
// groups, attribute keys/values and purposes compare exactly.
import type { Condition, ConditionTerm, UserContext, Who } from "./types";

function termMatches(term: ConditionTerm, user: UserContext): boolean {
  switch (term.kind) {
    case "group":
      return user.groups.includes(term.group);
    case "attribute": {
      const values = Object.hasOwn(user.attributes, term.key) ? user.attributes[term.key] : undefined;
      return Array.isArray(values) && values.includes(term.value);
    }
    case "purpose":
      return user.purposes.includes(term.purpose);
    case "user":
      return term.username.toLowerCase() === user.username.toLowerCase();
    default:
      // an unknown term kind never matches
      return false;
  }
}

/** `any` of no terms is false, `all` of no terms is true (the schemas require at least one term). */
export function matchesCondition(cond: Condition, user: UserContext): boolean {
  if (cond.match === "all") return cond.terms.every((t) => termMatches(t, user));
  if (cond.match === "any") return cond.terms.some((t) => termMatches(t, user));
  throw new Error(`unknown condition match '${String((cond as { match: unknown }).match)}'`);
}

export function appliesTo(who: Who, user: UserContext): boolean {
  switch (who.type) {
    case "EVERYONE":
      return true;
    case "EVERYONE_EXCEPT":
      return !matchesCondition(who.condition, user);
    case "ONLY":
      return matchesCondition(who.condition, user);
    default:
      throw new Error(`unknown who type '${String((who as { type: unknown }).type)}'`);
  }
}
