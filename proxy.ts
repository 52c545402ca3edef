import { NextResponse, type NextRequest } from "next/server";
import { decodePathSegments } from "@/lib/url-path";

// Only input decoding, no security decision (every route checks its caller itself): a path segment Next cannot
// decode (`%ZZ`, bytes that are not UTF-8) would otherwise end in Next's bare "Internal Server Error" before
// any route handler runs. The API answers such a request with a JSON 400 instead.
export function proxy(request: NextRequest) {
  const path = decodePathSegments(request.nextUrl.pathname);
  if (path.ok) return NextResponse.next();
  const viewApi = request.nextUrl.pathname.startsWith("/api/trino/");
  return NextResponse.json({ error: path.error, ...(viewApi ? { code: "BAD_REQUEST" } : {}) }, { status: 400 });
}

export const config = { matcher: ["/api/:path*"] };
