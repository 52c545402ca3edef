import Link from "next/link";

/** Previous / "Page n of m" / Next for server-rendered lists; nothing when everything fits on one page. */
export function Pagination({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  if (pages <= 1) return null;
  const step = (target: number, label: string, enabled: boolean) =>
    enabled ? (
      <Link className="text-indigo-700 hover:underline" href={href(target)}>
        {label}
      </Link>
    ) : (
      <span className="text-slate-400">{label}</span>
    );
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center gap-4 text-sm">
      {step(page - 1, "Previous", page > 1)}
      <span>
        Page {page} of {pages}
      </span>
      {step(page + 1, "Next", page < pages)}
    </nav>
  );
}
