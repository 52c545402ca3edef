import "server-only";
import { changeOwnPasswordSchema } from "@/lib/validations/people";
import type { Actor } from "./actor";
import { TooManyRequestsError, UnauthorizedError, ValidationError } from "./errors";
import { governanceWrite } from "./governance";
import { parseInput } from "./handlers";
import { tooManyAttemptsMessage } from "./login-throttle";
import { hashPassword } from "./passwords";
import { authenticateWithPassword } from "./users";

// What signed-in users do to their own account.

/**
 * Changes the caller's password after checking the current one (wrong guesses count against the sign-in
 * throttle), and ends every session of theirs, this one included: they sign in again with the new password.
 */
export async function changeOwnPassword(actor: Actor, raw: unknown): Promise<{ id: string; signedOut: true }> {
  const { currentPassword, newPassword } = parseInput(changeOwnPasswordSchema, raw);
  // the sign-in check itself: the same throttle, timing and failure count (per user: no address here)
  const check = await authenticateWithPassword(actor.username, currentPassword);
  if (check.status === "throttled") throw new TooManyRequestsError(tooManyAttemptsMessage(check.minutes));
  if (check.status === "wrong") {
    throw new ValidationError("The current password is not right.", { currentPassword: ["Not your current password."] });
  }
  if (check.user.id !== actor.id) throw new UnauthorizedError();
  const user = check.user;
  const passwordHash = await hashPassword(newPassword);
  await governanceWrite(
    actor,
    { bumpEpoch: false },
    (tx) => tx.user.update({ where: { id: actor.id }, data: { passwordHash, sessionVersion: { increment: 1 } } }),
    () => ({ action: "user.password_change", targetType: "user", targetId: actor.id, details: { username: user.username } }),
  );
  return { id: actor.id, signedOut: true };
}
