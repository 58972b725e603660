// A real OpenID provider for the sign-in tests: npm's oidc-provider (OpenID-certified), on
// 127.0.0.1 at a port the system chooses. The test passes its configuration as JSON on stdin
// (clients, accounts, the provider's signing keys) and reads one line back on stdout:
// {"issuer": "http://127.0.0.1:PORT"}. The dev interactions (any login, any password, then a
// consent page) stand in for an agency's sign-in page; the account is the login typed.
import http from 'node:http';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(0, 'utf8'));
const server = http.createServer();

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = config.accounts || {};
  const provider = new Provider(issuer, {
    clients: config.clients,
    jwks: config.jwks,
    cookies: { keys: ['oversight-test-provider'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    async findAccount(ctx, id) {
      const known = accounts[id] || { email: `${id}@unknown.example.org`, email_verified: true };
      return { accountId: id, async claims() { return { sub: id, ...known }; } };
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      backchannelLogout: { enabled: true },
    },
    // The provider refuses to call loopback addresses (SSRF protection); the relying party
    // under test is on loopback, so its back-channel logout goes out without that check.
    fetch: (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined }),
    // Entra ID and CIS2 put the email in the ID token, as this does.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: { IdToken: config.idTokenSeconds || 3600 },
  });
  provider.proxy = false;
  provider.on('backchannel.error', (ctx, error, client) => {
    process.stderr.write(`back-channel logout to ${client.clientId} failed: ${error}\n`);
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
