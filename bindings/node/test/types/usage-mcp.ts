// Type-checked by `tsc -p test/types` (never run): the MCP connection API.
import {
  OAuthTokenManager, McpClient, MultiServerMcpClient, McpError, RegistrationError,
  AuthorizationRequiredError, ResourceMismatchError, DiscoveryError, InsufficientScopeError, Status,
  type McpOAuthConfig, type McpCallToolResult, type McpServerTool,
  type McpConnectOptions, type McpTool, type ElicitationRequest, type ElicitationAnswer, type SessionStatus,
} from 'mcp-oauth-client';

const discovery: McpOAuthConfig = { server_url: 'http://127.0.0.1:9999/mcp', client_name: 'demo' };
const cc: McpOAuthConfig = {
  server_url: 'http://127.0.0.1:9999/mcp', client_id: 'test-client', client_secret: 'test-secret',
  issuer: 'http://127.0.0.1:9998', // a secret with discovery names who issued it
};
const jwt: McpOAuthConfig = {
  server_url: 'https://mcp.example/mcp', client_id: 'c', private_key_pem: '-----BEGIN…', issuer: 'https://auth.example',
  signing_alg: 'RS256', token_endpoint_auth_method: 'private_key_jwt',
  client_metadata_url: 'https://client.example/metadata.json',
};

async function main(): Promise<void> {
  const manager = new OAuthTokenManager(discovery);
  const opts: McpConnectOptions = { transport: 'sse', clientName: 'demo', timeoutSeconds: 10 };
  let client: McpClient;
  try {
    client = await McpClient.connect(manager, 'http://127.0.0.1:9999/mcp', opts);
  } catch (err) {
    if (!(err instanceof AuthorizationRequiredError)) throw err;
    const { url } = await manager.beginAuthorizationAsync();
    await manager.completeAuthorization(url);
    client = await McpClient.connect(manager, 'http://127.0.0.1:9999/mcp');
  }
  const session: SessionStatus = client.status();
  void [session.sessionId, session.protocolVersion, session.transport === 'sse', session.auth.issuer];
  const list: McpTool[] = await client.listTools();
  const first: McpTool | undefined = list[0];
  const res: McpCallToolResult = await client.callTool('add', { a: 1, b: 2 });
  client.setElicitationHandler(async (request: ElicitationRequest): Promise<ElicitationAnswer | null> =>
    request.mode === 'url' ? { action: 'decline' } : { action: 'accept', content: { name: 'typed' } });
  client.setElicitationHandler(null);
  const text: string | undefined = res.content[0]?.text;
  const failed: boolean = res.isError === true;
  const pong = await client.request('ping');
  await client.request('tools/call', { name: 'echo', arguments: { text: 'x' } });
  // @ts-expect-error not an MCP method the library sends
  await client.request('sampling/createMessage');
  const url: string = client.serverUrl;
  const closed: boolean = client.closed;
  await client.close();

  const multi = new MultiServerMcpClient({
    notes: { url: 'http://127.0.0.1:9999/sse', transport: 'sse', auth: cc },
    math: { url: 'http://127.0.0.1:9999/mcp', auth: manager, timeoutSeconds: 5 },
    open: { url: 'http://127.0.0.1:9999/mcp' },
  });
  const tools: McpServerTool[] = await multi.getTools();
  const server: string = tools[0]!.server;
  const r2: McpCallToolResult = await multi.callTool('math', 'add', { a: 1, b: 2 });
  const m2: OAuthTokenManager = multi.manager('notes');
  const c2: McpClient = await multi.session('notes');
  const names: string[] = multi.servers;
  const same: MultiServerMcpClient = await multi.connect();
  const mathTools: McpServerTool[] = await multi.getTools('math');
  await multi.close();
  void [jwt, first, text, failed, pong, url, closed, server, r2, m2, c2, names, same, mathTools];
}

function describe(err: unknown): string {
  if (err instanceof McpError) return `${err.rpcCode ?? 'session'} ${err.server ?? ''}`;
  if (err instanceof RegistrationError) return `${err.error} ${err.errorDescription} ${err.status}`;
  if (err instanceof ResourceMismatchError || err instanceof DiscoveryError) return err.message;
  if (err instanceof InsufficientScopeError) return String(err.errno === Status.INSUFFICIENT_SCOPE && err.code === 'MCP_OAUTH_E_INSUFFICIENT_SCOPE');
  return String(err);
}

// @ts-expect-error McpClient is made by McpClient.connect()
const direct = new McpClient();
// @ts-expect-error transport is an enumeration
const badOpts: McpConnectOptions = { transport: 'websocket' };
// @ts-expect-error a server needs a url
const badMulti = new MultiServerMcpClient({ a: { transport: 'sse' } });
void [main, describe, direct, badOpts, badMulti];
