import { expect, test } from "@playwright/test";
import { login } from "./support/session";

const ALL = ["Data sources", "Subscriptions", "Policies", "People", "Projects", "Audit", "Settings"];

const cases: { persona: string; sees: string[] }[] = [
  { persona: "admin", sees: ALL },
  { persona: "olivia", sees: ["Data sources", "Subscriptions", "Policies", "Projects"] },
  { persona: "gwen", sees: ["Data sources", "Subscriptions", "Policies", "Projects"] },
  { persona: "alice", sees: ["Data sources", "Subscriptions", "Projects"] },
  { persona: "bob", sees: ["Data sources", "Subscriptions", "Projects"] },
  { persona: "carol", sees: ["Data sources", "Subscriptions", "Projects"] },
  { persona: "audrey", sees: ["Data sources", "Subscriptions", "Policies", "Projects", "Audit"] },
];

for (const { persona, sees } of cases) {
  test(`${persona} logs in and sees the navigation their roles allow`, async ({ page }) => {
    await login(page, persona);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText(sees);
    await expect(page.getByRole("heading", { name: "Data sources", level: 1 })).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/shell-${persona}.png`, fullPage: true });
  });
}

test("a page outside your roles answers 403, not its content", async ({ page }) => {
  await login(page, "alice");
  await page.goto("/people");
  await expect(page.getByRole("heading", { name: "You are not allowed to see this page" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Users" })).toHaveCount(0);
});

test("signed out, a console page sends you to the login page", async ({ page }) => {
  await page.goto("/policies");
  await expect(page).toHaveURL(/\/login/);
});

test("a wrong password fails with a clear message and no session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Password").fill("not-her-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("#login-error")).toHaveText("Wrong username or password.");
  await page.screenshot({ path: "test-results/screenshots/login-wrong-password.png" });
  await page.goto("/data-sources");
  await expect(page).toHaveURL(/\/login/);
});
