"use server";

import { AuthError } from "next-auth";
import { signIn, signInFailureMessage } from "@/lib/server/auth";

export interface LoginState {
  error?: string;
}

export async function loginAction(_prev: LoginState, form: FormData): Promise<LoginState> {
  const username = String(form.get("username") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!username || !password) return { error: "Enter your username and password." };
  const next = String(form.get("next") ?? "/");
  try {
    await signIn("credentials", { username, password, redirectTo: next.startsWith("/") && !next.startsWith("//") ? next : "/" });
    return {};
  } catch (error) {
    if (error instanceof AuthError) return { error: signInFailureMessage(error) };
    throw error;
  }
}

export async function oidcLoginAction() {
  await signIn("oidc", { redirectTo: "/" });
}
