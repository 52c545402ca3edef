import type { Condition, PolicyAction, Who } from "@/lib/validations/policy";

export function describeCondition(c: Condition): string {
  const terms = c.terms.map((t) => {
    switch (t.kind) {
      case "group":
        return `group ${t.group}`;
      case "attribute":
        return `${t.key}=${t.value}`;
      case "purpose":
        return `purpose ${t.purpose}`;
      case "user":
        return `user ${t.username}`;
    }
  });
  return terms.join(c.match === "all" ? " and " : " or ");
}

export function describeWho(who: Who): string {
  if (who.type === "EVERYONE") return "everyone";
  if (who.type === "EVERYONE_EXCEPT") return `everyone except ${describeCondition(who.condition)}`;
  return `only ${describeCondition(who.condition)}`;
}

/** A one-line, human summary of a policy for lists and audit views. */
export function describePolicy(p: { who: Who; action: PolicyAction }): string {
  const who = describeWho(p.who);
  if (p.action.type === "MASK") {
    const target = "columns" in p.action.target ? p.action.target.columns.join(", ") : `columns tagged ${p.action.target.tag}`;
    const m = p.action.mask;
    const how = m.method === "SHOW_FIRST" || m.method === "SHOW_LAST" ? `${m.method} ${m.n}` : m.method;
    return `mask ${target} with ${how} for ${who}${p.action.onlyWhere ? " (only where a predicate holds)" : ""}`;
  }
  const f = p.action.filter;
  const what =
    f.kind === "MATCH_ATTRIBUTE"
      ? `rows whose ${f.column} is among the user's ${f.key}`
      : f.kind === "MATCH_GROUP"
        ? `rows whose ${f.column} is among the user's groups`
        : f.kind === "TIME_WINDOW"
          ? `rows of the last ${f.amount} ${f.unit}(s) by ${f.column}`
          : f.kind === "MINIMIZE"
            ? `a stable ${f.percent}% of rows`
            : f.kind === "PURPOSE_RESTRICT"
              ? `rows only for purposes ${f.purposes.join(", ")}`
              : "rows matching a WHERE predicate";
  return `show ${what} to ${who}`;
}
