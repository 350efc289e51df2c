// Type-checked by `tsc -p test/types` (never run): exercises every declaration.
import {
  OAuthTokenManager, authFetch, generateCodeVerifier, generateCodeChallenge, libraryVersion, setLogHandler,
  McpOAuthError, OAuthError, ConfigError, AuthorizationDeniedError, McpOAuthCancelledError, CancelledError,
  McpOAuthTimeoutError, Status, type ErrorCode,
  type McpOAuthConfig, type Token, type TokenSource, type StatusCode, type FetchLike,
  type DeviceAuthorization, type McpOAuthConfigFields, type AuthStatus,
} from 'mcp-oauth-client';

const config: McpOAuthConfig = {
  client_id: 'test-client',
  client_secret: 'test-secret',
  token_url: 'http://127.0.0.1:9999/token',
  scopes: ['mcp:read'],
  grant_type: 'client_credentials',
  token_endpoint_auth_method: 'client_secret_post',
  http_timeout_seconds: 5,
  refresh_margin_seconds: 30,
};

// Every member of the configuration, each with a value (a member added to
// core/config.go, hence to the generated McpOAuthConfigFields, fails this
// check until it is given one here): an enterprise-managed (jwt_bearer)
// client, whose members the declarations once lacked.
const everyMember: { [K in keyof McpOAuthConfigFields]-?: NonNullable<McpOAuthConfigFields[K]> } = {
  client_id: 'c',
  client_secret: 's',
  token_url: 'https://as.example/token',
  authorize_url: 'https://as.example/authorize',
  device_authorization_url: 'https://as.example/device',
  scopes: ['mcp:read'],
  pkce: true,
  resource: 'https://mcp.example/mcp',
  redirect_uri: 'http://127.0.0.1:8976/callback',
  grant_type: 'jwt_bearer',
  token_endpoint_auth_method: 'private_key_jwt',
  issuer: 'https://as.example',
  http_timeout_seconds: 5,
  refresh_margin_seconds: 10,
  ca_file: '/etc/ssl/ca.pem',
  mcp_max_response_bytes: 1048576,
  server_url: 'https://mcp.example/mcp',
  client_metadata_url: 'https://app.example/client.json',
  client_name: 'every member',
  private_key_pem: '-----BEGIN PRIVATE KEY-----',
  signing_alg: 'ES256',
  token_store_dir: '/tmp/store',
  token_store: 'rediss://redis.example:6380/0',
  token_store_key_file: '/etc/mcp-oauth/store.key',
  token_store_fallback: 'fail',
  idp_token_endpoint: 'https://idp.example/token',
  idp_client_id: 'idp-client',
  idp_client_secret: 'idp-secret',
  idp_id_token: 'id-token',
  // Types only: a workload identity takes one source and no idp_* member.
  dpop: true,
  dpop_key_pem: '-----BEGIN PRIVATE KEY-----',
  workload_identity_token: 'a.b.c',
  workload_identity_token_file: '/var/run/secrets/tokens/mcp',
  workload_identity_token_command: ['print-token', '--audience', 'mcp'],
  mcp_headers: ['X-Api-Key: k-123'],
  login: 'browser',
  open_command: 'xdg-open',
};
const enterprise: McpOAuthConfig = everyMember;

// The camelCase spellings (Node style), alone or mixed with snake_case.
const camel: McpOAuthConfig = {
  clientId: 'c', clientSecret: 's', tokenUrl: 'https://as.example/token', httpTimeoutSeconds: 5,
  grantType: 'jwt_bearer', idpTokenEndpoint: 'https://idp.example/token', idpClientId: 'i', idpIdToken: 't',
  workloadIdentityTokenCommand: ['print-token'], mcpHeaders: ['X-Api-Key: k'],
};
const camelDiscovery: McpOAuthConfig = { serverUrl: 'https://mcp.example/mcp', tokenStoreDir: '/tmp/s' };
const mixed: McpOAuthConfig = { server_url: 'https://mcp.example/mcp', clientName: 'mixed' };
// @ts-expect-error grantType is an enumeration
const badCamel: McpOAuthConfig = { clientId: 'a', tokenUrl: 'x', grantType: 'password' };
// @ts-expect-error clientId and tokenUrl are required without serverUrl
const badCamel2: McpOAuthConfig = { clientId: 'a' };
void [camel, camelDiscovery, mixed, badCamel, badCamel2];

async function main(): Promise<void> {
  const manager = new OAuthTokenManager(config);
  const selfDriving = new OAuthTokenManager(config, {
    onAuthorizationRequired: async (url: string) => `${url}&redirected`,
  });
  selfDriving.close();
  const deviceDriven = new OAuthTokenManager(config, {
    onDeviceAuthorization: (d: DeviceAuthorization) => { console.log(d.userCode); },
  });
  deviceDriven.close();
  const accessToken: string = await manager.getToken();
  const token: Token = await manager.token();
  const expires: Date | null = token.expiresAt;
  manager.invalidate(accessToken);
  const sendWith: Record<string, string> = manager.requestHeaders('POST', 'https://mcp.example.com/mcp', accessToken);
  const again: boolean = manager.dpopNonce('https://mcp.example.com/mcp', accessToken, 401, sendWith.Authorization ?? null, null);
  const { url, state }: { url: string; state: string } = await manager.beginAuthorization('http://127.0.0.1/cb');
  await manager.beginAuthorization(null, { signal: AbortSignal.timeout(5000) });
  await manager.completeAuthorization(`${url}&state=${state}`, { signal: AbortSignal.timeout(5000) });
  const next: string | null = await manager.handleResponse(401, null, accessToken, 0, { signal: AbortSignal.timeout(5000) });
  void next;
  const device: DeviceAuthorization = await manager.beginDeviceAuthorization();
  const shown: string = `${device.verificationUri} ${device.userCode} ${device.expiresIn + device.interval}`;
  await manager.completeDeviceAuthorization({ timeoutSeconds: 30 });
  await manager.authorizeDevice(async (d) => { console.log(shown, d.verificationUriComplete); }, { timeoutSeconds: 60 });
  const controller = new AbortController();
  await manager.beginDeviceAuthorization({ signal: controller.signal });
  await manager.completeDeviceAuthorization({ signal: AbortSignal.timeout(60_000) });
  await manager.authorizeDevice(() => {}, { timeoutSeconds: 60, signal: controller.signal });
  await manager.authorizeInteractively({ openCommand: 'xdg-open', signal: controller.signal });
  await manager.authorizeInteractively({ openCommand: (u: string) => { console.log(u); } });
  await manager.authorizeInteractively({ openCommand: async (u: string) => { await fetch(u); } });
  controller.abort();
  manager.cancel();
  const cancelled: boolean = new McpOAuthCancelledError('x').errno === Status.CANCELLED;
  const byName: boolean = new McpOAuthCancelledError('x', { code: 'MCP_OAUTH_E_CANCELLED' }).code === 'MCP_OAUTH_E_CANCELLED';
  // The deprecated names are the same classes.
  const old: McpOAuthCancelledError = new CancelledError('x');
  void [cancelled, byName, old];
  const st: AuthStatus = manager.status();
  const left: number | null = st.expiresInSeconds;
  const held: boolean = st.hasToken && st.hasRefreshToken && st.clientSource === 'dynamic_registration';
  void [left, held, st.store?.kind, st.expiresAt?.getTime(), st.scopes.join(' ')];
  const source: TokenSource = manager;
  const f: FetchLike = authFetch(source);
  const g = authFetch(manager, fetch);
  const res: Response = await f('http://127.0.0.1:9999/protected', { method: 'GET' });
  await g(new URL('http://127.0.0.1:9999/protected'));
  const closed: boolean = manager.closed;
  const done: Promise<void> = manager.close();
  await done;
  await manager[Symbol.asyncDispose]();
  manager[Symbol.dispose]();
  {
    await using scoped = new OAuthTokenManager(config);
    using syncScoped = new OAuthTokenManager(camelDiscovery);
    void [scoped, syncScoped];
  }
  const verifier: string = generateCodeVerifier();
  const challenge: string = generateCodeChallenge(verifier);
  const v: string = libraryVersion();
  setLogHandler((e) => { const s: string = `${e.level} ${e.event} ${e.message} ${String(e.fields.grant_type)}`; void s; },
    { level: 'info' });
  setLogHandler(null);
  void [expires, res, closed, challenge, v];
}

function describe(err: unknown): string {
  if (err instanceof OAuthError) return `${err.error} ${err.errorDescription} ${err.status}`;
  if (err instanceof ConfigError) return err.field;
  if (err instanceof AuthorizationDeniedError) return err.error;
  if (err instanceof McpOAuthError) {
    const code: number = err.errno;
    const same: boolean = code === Status.BAD_HANDLE;
    const name: ErrorCode | 'MCP_OAUTH_E_UNKNOWN' = err.code;
    if (err.code === 'MCP_OAUTH_E_TIMEOUT' && err instanceof McpOAuthTimeoutError) return name;
    // @ts-expect-error err.code is a string now (the number is err.errno)
    const numeric: number = err.code;
    void numeric;
    return `${err.codeName} ${String(err.details.message)} ${same}`;
  }
  return String(err);
}

const s: StatusCode = Status.OAUTH;
// @ts-expect-error client_id is required
const bad: McpOAuthConfig = { token_url: 'x' };
// @ts-expect-error grant_type is an enumeration
const bad2: McpOAuthConfig = { client_id: 'a', token_url: 'x', grant_type: 'password' };
void [main, describe, s, bad, bad2, enterprise];
