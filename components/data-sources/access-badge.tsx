import { Badge } from "@/components/ui/badge";
import { ACCESS_LABEL, type AccessState } from "@/lib/data-sources/access";

const TONE: Record<AccessState, "green" | "amber" | "red" | "gray"> = {
  active: "green",
  auto: "green",
  pending: "amber",
  denied: "red",
  revoked: "gray",
  expired: "gray",
  none: "gray",
};

export function AccessBadge({ access, expiresAt }: { access: AccessState; expiresAt?: Date | null }) {
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <Badge tone={TONE[access]}>{ACCESS_LABEL[access]}</Badge>
      {expiresAt && (access === "active" || access === "auto") ? (
        <span className="text-xs text-slate-500">until {expiresAt.toISOString().slice(0, 10)}</span>
      ) : null}
    </span>
  );
}

export function TagList({ tags, empty = "—" }: { tags: string[]; empty?: string }) {
  if (tags.length === 0) return <span className="text-slate-400">{empty}</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {tags.map((t) => (
        <Badge key={t} tone="indigo">{t}</Badge>
      ))}
    </span>
  );
}
