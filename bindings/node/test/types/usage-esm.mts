// The ESM entry point has the same types.
import mcp, { OAuthTokenManager, generateCodeChallenge, type McpOAuthConfig } from 'mcp-oauth-client';

const config: McpOAuthConfig = { client_id: 'public-client', token_url: 'http://127.0.0.1:1/token' };
const m: OAuthTokenManager = new mcp.OAuthTokenManager(config);
const c: string = generateCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
void [m, c, OAuthTokenManager];
