import { expect, type Page } from "@playwright/test";

import { DEMO_PASSWORD } from "../../lib/server/demo-data";

export { DEMO_PASSWORD };

export async function login(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("current-user")).toHaveText(username);
}
