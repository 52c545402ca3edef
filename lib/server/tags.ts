import "server-only";
import type { Tx } from "./governance";

/** Creates each tag and its ancestors (PII.Email needs PII) and returns their ids by name. */
export async function ensureTags(tx: Tx, names: readonly string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const name of [...new Set(names)].sort()) {
    const parts = name.split(".");
    let parentId: string | null = null;
    for (let i = 1; i <= parts.length; i++) {
      const path = parts.slice(0, i).join(".");
      const known = ids.get(path);
      if (known) {
        parentId = known;
        continue;
      }
      const tag: { id: string } = await tx.tag.upsert({ where: { name: path }, create: { name: path, parentId }, update: {} });
      ids.set(path, tag.id);
      parentId = tag.id;
    }
  }
  return ids;
}
