"use server";

import { changeOwnPasswordSchema } from "@/lib/validations/people";
import { changeOwnPassword } from "@/lib/server/account";
import { action } from "@/lib/server/handlers";

export const changeOwnPasswordAction = action({ schema: changeOwnPasswordSchema }, (actor, input) => changeOwnPassword(actor, input));
