// mcp-oauth from Node: a token by client_credentials, then a PKCE
// authorization code flow run headlessly (the "browser" is a fetch whose
// redirect Location is handed back to the library).
//
// Usage: node examples/demo.js <authorization-server-url>
'use strict';
const { OAuthTokenManager, generateCodeVerifier, generateCodeChallenge } = require('../bindings/node');

async function main(issuer) {
  const machine = new OAuthTokenManager({
    client_id: 'test-client',
    client_secret: 'test-secret',
    token_url: `${issuer}/token`,
    scopes: ['mcp:read', 'mcp:write'],
  });
  try {
    const token = await machine.getToken();
    console.log(`[Node] client_credentials token: ${token.slice(0, 12)}... (${token.length} chars)`);
  } finally {
    machine.close();
  }

  const user = new OAuthTokenManager({
    client_id: 'public-client',
    token_url: `${issuer}/token`,
    authorize_url: `${issuer}/authorize`,
    issuer,
    scopes: ['mcp:read'],
  });
  try {
    const { url } = user.beginAuthorization('http://127.0.0.1:8976/callback');
    console.log(`[Node] open in a browser: ${url.slice(0, 70)}...`);
    const res = await fetch(url, { redirect: 'manual' }); // the browser's part, headless
    await user.completeAuthorization(res.headers.get('location'));
    const full = await user.token();
    console.log(`[Node] authorization_code+PKCE token: ${full.accessToken.slice(0, 12)}... expires ${full.expiresAt.toISOString()}`);
  } finally {
    user.close();
  }
  const verifier = generateCodeVerifier();
  console.log(`[Node] PKCE: verifier of ${verifier.length} chars -> challenge ${generateCodeChallenge(verifier)}`);
}

main(process.argv[2]).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
