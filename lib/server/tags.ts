import "server-only";
import type { Tx } from "./governance";

/**
 * Creates each tag and its ancestors (PII.Email needs PII) and returns their ids by name. Safe when another
 * transaction creates the same tag at once: ON CONFLICT DO NOTHING waits for it, then the row is read.
 */
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
      await tx.tag.createMany({ data: [{ name: path, parentId }], skipDuplicates: true });
      const tag: { id: string } = await tx.tag.findUniqueOrThrow({ where: { name: path }, select: { id: true } });
      ids.set(path, tag.id);
      parentId = tag.id;
    }
  }
  return ids;
}
