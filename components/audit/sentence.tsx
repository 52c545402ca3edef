import Link from "next/link";
import type { Segment } from "@/lib/audit/describe";

/** An audit sentence: text with links to the users, data sources and policies it names. */
export function Sentence({ segments }: { segments: Segment[] }) {
  return (
    <span>
      {segments.map((seg, i) =>
        seg.href ? (
          <Link key={i} href={seg.href} className="font-medium text-indigo-700 hover:underline">
            {seg.text}
          </Link>
        ) : (
          <span key={i}>{seg.text}</span>
        ),
      )}
    </span>
  );
}
