// A real OpenID provider (the `oidc-provider` package) on 127.0.0.1, for the single sign-on tests.
// It is ESM and wants its own Node process: test/support/oidc-provider.ts starts this file.
// Input: OIDC_TEST_CONFIG = {clientId, clientSecret, redirectUri, accounts: {sub: claims}, autoLogin?, port?}.
// Prints "READY <issuer>" once listening. Interactions are scripted, not pages: GET
// /interaction/:uid?login=<sub> signs <sub> in and consents; without `login` the user declines,
// unless `autoLogin` names who signs in (for a browser, which cannot add the parameter).
// PUT /test/accounts/:sub (JSON claims) changes an account between sign-ins.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const { clientId, clientSecret, redirectUri, accounts, autoLogin, port = 0 } = JSON.parse(process.env.OIDC_TEST_CONFIG);

const server = createServer();
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
  claims: { openid: ['sub'], profile: ['preferred_username', 'name', 'groups'], email: ['email', 'email_verified'] },
  cookies: { keys: ['a test provider cookie key'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (_ctx, sub) => (accounts[sub] ? { accountId: sub, claims: () => ({ sub, ...accounts[sub] }) } : undefined),
});

provider.use(async (ctx, next) => {
  const interaction = /^\/interaction\/([^/]+)$/.exec(ctx.path);
  if (interaction && ctx.method === 'GET') {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const accountId = ctx.query.login ?? autoLogin;
    let result = { error: 'access_denied', error_description: 'The user declined.' };
    if (typeof accountId === 'string') {
      const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      result = { login: { accountId }, consent: { grantId: await grant.save() } };
    }
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
    return;
  }
  const account = /^\/test\/accounts\/([^/]+)$/.exec(ctx.path);
  if (account && ctx.method === 'PUT') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    accounts[decodeURIComponent(account[1])] = JSON.parse(Buffer.concat(chunks).toString());
    ctx.status = 204;
    return;
  }
  await next();
});

server.on('request', provider.callback());
process.stdout.write(`READY ${issuer}\n`);
