import { describe, expect, it } from "vitest";
import { usernameAndGroupsFromProfile } from "./users";

const claims = { usernameClaim: "preferred_username", groupsClaim: "groups" };

describe("usernameAndGroupsFromProfile (OIDC)", () => {
  it("lower-cases the username claim and keeps string groups once", () => {
    expect(usernameAndGroupsFromProfile({ preferred_username: " Alice ", groups: ["hr", "hr", 3, "", "analysts"] }, claims)).toEqual({
      username: "alice",
      groups: ["hr", "analysts"],
    });
  });
  it("uses a configured groups claim and accepts a single string", () => {
    expect(usernameAndGroupsFromProfile({ preferred_username: "bob", roles: "admins" }, { ...claims, groupsClaim: "roles" }).groups).toEqual(["admins"]);
  });
  it("falls back to email, then sub, and gives no groups without the claim", () => {
    expect(usernameAndGroupsFromProfile({ email: "Carol@Example.com" }, claims)).toEqual({ username: "carol@example.com", groups: [] });
    expect(usernameAndGroupsFromProfile({ sub: "12345" }, claims).username).toBe("12345");
  });
  it("gives an empty username when nothing usable is there", () => {
    expect(usernameAndGroupsFromProfile({ preferred_username: 42 }, claims).username).toBe("");
  });
});
