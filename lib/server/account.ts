import "server-only";
import { changeOwnPasswordSchema } from "@/lib/validations/people";
import type { Actor } from "./actor";
import { getDb } from "./db";
import { TooManyRequestsError, UnauthorizedError, ValidationError } from "./errors";
import { governanceWrite } from "./governance";
import { parseInput } from "./handlers";
import { lockedMinutes, recordLoginFailure, tooManyAttemptsMessage, userKey } from "./login-throttle";
import { hashPassword, verifyPassword } from "./passwords";
import { DUMMY_PASSWORD_HASH } from "./users";

// What signed-in users do to their own account.

/**
 * Changes the caller's password after checking the current one (wrong guesses count against the sign-in
 * throttle), and ends every session of theirs, this one included: they sign in again with the new password.
 */
export async function changeOwnPassword(actor: Actor, raw: unknown): Promise<{ id: string; signedOut: true }> {
  const { currentPassword, newPassword } = parseInput(changeOwnPasswordSchema, raw);
  const db = await getDb();
  const keys = [userKey(actor.username)];
  const minutes = await lockedMinutes(db, keys);
  if (minutes > 0) throw new TooManyRequestsError(tooManyAttemptsMessage(minutes));
  const user = await db.user.findUnique({ where: { id: actor.id } });
  if (!user || user.disabled) throw new UnauthorizedError();
  const ok = await verifyPassword(currentPassword, user.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!ok || !user.passwordHash) {
    await recordLoginFailure(db, keys);
    throw new ValidationError("The current password is not right.", { currentPassword: ["Not your current password."] });
  }
  const passwordHash = await hashPassword(newPassword);
  await governanceWrite(
    actor,
    { bumpEpoch: false },
    (tx) => tx.user.update({ where: { id: actor.id }, data: { passwordHash, sessionVersion: { increment: 1 } } }),
    () => ({ action: "user.password_change", targetType: "user", targetId: actor.id, details: { username: user.username } }),
  );
  return { id: actor.id, signedOut: true };
}
