import "server-only";
import type { PrismaClient } from "./db";

// Failed sign-ins counted per user name and per client address in the LoginThrottle table, so every console
// process shares them. Past the limit within the window the key is locked: sign-in is refused before any
// password is checked. A success clears the user's counter (not the address's: one valid account must not
// reset an address that is guessing others).

export const LOGIN_THROTTLE = {
  windowMinutes: 15,
  lockMinutes: 15,
  maxPerUser: 5,
  maxPerAddress: 20,
} as const;

type Db = Pick<PrismaClient, "loginThrottle" | "$executeRaw">;

export const userKey = (username: string) => `user:${username}`;
export const addressKey = (ip: string) => `ip:${ip}`;

export function throttleKeys(username: string, ip: string | null | undefined): string[] {
  return [userKey(username), ...(ip ? [addressKey(ip)] : [])];
}

const limitOf = (key: string) => (key.startsWith("ip:") ? LOGIN_THROTTLE.maxPerAddress : LOGIN_THROTTLE.maxPerUser);

export function tooManyAttemptsMessage(minutes: number): string {
  return `Too many sign-in attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/** Whole minutes (at least 1) until the first of `keys` that is locked opens again; 0 when none is locked. */
export async function lockedMinutes(db: Db, keys: string[], now = new Date()): Promise<number> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: keys }, lockedUntil: { gt: now } }, select: { lockedUntil: true } });
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil!.getTime()));
  return until > now.getTime() ? Math.max(1, Math.ceil((until - now.getTime()) / 60_000)) : 0;
}

/**
 * Counts one failure on each key in one statement per key (concurrent guesses cannot lose a count): a
 * window older than windowMinutes starts over; reaching the key's limit locks it for lockMinutes.
 */
export async function recordLoginFailure(db: Db, keys: string[], now = new Date()): Promise<void> {
  const at = now.toISOString();
  const windowFloor = new Date(now.getTime() - LOGIN_THROTTLE.windowMinutes * 60_000).toISOString();
  const lockUntil = new Date(now.getTime() + LOGIN_THROTTLE.lockMinutes * 60_000).toISOString();
  for (const key of keys) {
    const limit = limitOf(key);
    // Timestamps travel as ISO text and are stored as UTC "timestamp(3)", as Prisma stores DateTime.
    await db.$executeRaw`
      INSERT INTO "LoginThrottle" ("key", "failures", "windowStart", "lockedUntil")
      VALUES (${key}, 1, CAST(${at} AS timestamptz) AT TIME ZONE 'UTC',
              CASE WHEN 1 >= ${limit} THEN CAST(${lockUntil} AS timestamptz) AT TIME ZONE 'UTC' END)
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE WHEN "LoginThrottle"."windowStart" <= CAST(${windowFloor} AS timestamptz) AT TIME ZONE 'UTC'
                          THEN 1 ELSE "LoginThrottle"."failures" + 1 END,
        "windowStart" = CASE WHEN "LoginThrottle"."windowStart" <= CAST(${windowFloor} AS timestamptz) AT TIME ZONE 'UTC'
                             THEN CAST(${at} AS timestamptz) AT TIME ZONE 'UTC' ELSE "LoginThrottle"."windowStart" END,
        "lockedUntil" = CASE WHEN (CASE WHEN "LoginThrottle"."windowStart" <= CAST(${windowFloor} AS timestamptz) AT TIME ZONE 'UTC'
                                        THEN 1 ELSE "LoginThrottle"."failures" + 1 END) >= ${limit}
                             THEN CAST(${lockUntil} AS timestamptz) AT TIME ZONE 'UTC' ELSE "LoginThrottle"."lockedUntil" END`;
  }
  // Rows whose window and lock are long over carry nothing: keep the table small.
  const stale = new Date(now.getTime() - 24 * 60 * 60_000);
  await db.loginThrottle.deleteMany({ where: { windowStart: { lt: stale }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] } });
}

export async function clearLoginFailures(db: Db, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}
