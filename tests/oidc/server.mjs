// A real OpenID Connect provider (oidc-provider) for the single sign-on tests.
//
// Configured by the environment:
//   OIDC_REDIRECT_URI   the portal's callback, registered for the client
//   OIDC_CLIENT_ID      the portal's client id (default "partnerdesk")
//   OIDC_CLIENT_SECRET  its secret (default "partnerdesk-test-secret")
//
// It listens on 127.0.0.1 on a free port and prints one JSON line on stdout,
// {"issuer": "http://127.0.0.1:<port>"}, once it answers.
//
// Accounts: devInteractions' login form accepts any login (an email address)
// with any password. What the provider says of an address is set beforehand by
// the test with GET /test/account?email=…&verified=true|false&mode=…, where
// mode is "normal", "wrong_audience" or "expired": the last two re-sign the ID
// token of the token endpoint's answer with the provider's own key after
// changing `aud` or `exp`, a deliberate misconfiguration that only a careful
// relying party notices.

import http from 'node:http';
import Provider from 'oidc-provider';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';

const redirectUri = process.env.OIDC_REDIRECT_URI;
if (!redirectUri) {
  console.error('OIDC_REDIRECT_URI is required');
  process.exit(2);
}
const clientId = process.env.OIDC_CLIENT_ID || 'partnerdesk';
const clientSecret = process.env.OIDC_CLIENT_SECRET || 'partnerdesk-test-secret';

const accounts = new Map();
const accountOf = (email) =>
  accounts.get(email) || { email, verified: true, mode: 'normal' };

const kid = 'test-key';
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ['partnerdesk-oidc-test-cookie-key'] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // The email claims in the ID token itself, as Google and Keycloak send them.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const account = accountOf(id);
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: account.email, email_verified: account.verified, name: `Person ${id}` };
      },
    };
  },
  // No consent screen: the test's client is first-party.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId ||
      ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
});

provider.use(async (ctx, next) => {
  if (ctx.path === '/test/account') {
    const email = ctx.query.email;
    accounts.set(email, {
      email,
      verified: ctx.query.verified !== 'false',
      mode: ctx.query.mode || 'normal',
    });
    ctx.body = 'ok';
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await misconfigured(ctx.body.id_token) };
  }
});

async function misconfigured(idToken) {
  const claims = decodeJwt(idToken);
  const { mode } = accountOf(claims.sub);
  if (mode === 'wrong_audience') {
    claims.aud = 'another-client';
  } else if (mode === 'expired') {
    claims.iat -= 7200;
    claims.exp = claims.iat + 600;
  } else {
    return idToken;
  }
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey);
}

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
