#!/usr/bin/env node
// A real OpenID Connect provider (npm oidc-provider) for the e2e tests of Steward's SSO sign-in.
// Its built-in development login page accepts any password for the accounts below.
import Provider from "oidc-provider";

const port = Number(process.env.STEWARD_TEST_OIDC_PORT ?? 3998);
const consolePort = Number(process.env.STEWARD_TEST_PORT ?? 3917);
const issuer = `http://127.0.0.1:${port}`;

const accounts = {
  olga: { preferred_username: "Olga", email: "olga@example.com", groups: ["analysts", "sso-users"] },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "steward",
      client_secret: "steward-oidc-test-secret",
      redirect_uris: [`http://localhost:${consolePort}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  async findAccount(_ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  claims: { openid: ["sub"], profile: ["preferred_username", "groups"], email: ["email"] },
  // Put the profile claims in the ID token: Auth.js reads the profile from it.
  conformIdTokenClaims: false,
  cookies: { keys: ["steward-oidc-test-cookie-key"] },
});
provider.proxy = false;
provider.listen(port, "127.0.0.1", () => console.log(`oidc provider at ${issuer}`));
