// Type declarations for mcp-oauth (Node.js binding of libmcp_oauth).

/**
 * Client configuration: the seed's McpOAuthConfig plus the extras of
 * include/mcp_oauth.h. Keys are snake_case, one schema for every language;
 * the engine decodes it strictly (an unknown key is a ConfigError naming it).
 * `undefined` and `null` mean "not set".
 */
export interface McpOAuthConfigFields {
  /**
   * OAuth client identifier. Required unless server_url is set (discovery
   * mode: a client ID metadata document or dynamic registration is used).
   */
  client_id?: string | null;
  /** Client secret (confidential clients). */
  client_secret?: string | null;
  /**
   * Token endpoint: https://, or http:// on a loopback address. Required
   * unless server_url is set (then discovered).
   */
  token_url?: string | null;
  /** Authorization endpoint, needed for the authorization code flow. */
  authorize_url?: string | null;
  /**
   * Device authorization endpoint (RFC 8628), for beginDeviceAuthorization();
   * with it the grant defaults to authorization_code.
   */
  device_authorization_url?: string | null;
  /** Requested scopes. */
  scopes?: string[] | null;
  /** PKCE with S256; default true when authorize_url is set (false is refused with it). */
  pkce?: boolean | null;
  /** RFC 8707 resource indicator sent on every authorization and token request. */
  resource?: string | null;
  /** Default redirect URI for beginAuthorization(). */
  redirect_uri?: string | null;
  /** Default: authorization_code when authorize_url is set, else client_credentials. */
  grant_type?: 'client_credentials' | 'authorization_code' | null;
  /** Default: client_secret_basic with a secret, private_key_jwt with private_key_pem, none otherwise. */
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none' | null;
  /** When set, the authorization response must carry a matching `iss` (RFC 9207). */
  issuer?: string | null;
  /** Bound on each HTTP request, in seconds; default 30. */
  http_timeout_seconds?: number | null;
  /** Start a background refresh this long before expiry; default 30. */
  refresh_margin_seconds?: number | null;
  /** PEM file of trusted CA certificates. */
  ca_file?: string | null;
  /** Directory (kept 0700) where the registration and tokens persist across restarts. */
  token_store_dir?: string | null;
  /**
   * Discovery mode (MCP authorization): the MCP server's URL. The
   * authorization server is found from its protected resource metadata
   * (RFC 9728, RFC 8414); token_url, authorize_url and client_id become
   * optional. Use one manager per MCP server URL.
   */
  server_url?: string | null;
  /** https URL of the client's ID metadata document, used as client_id when the AS supports it. */
  client_metadata_url?: string | null;
  /** client_name for dynamic client registration (RFC 7591). */
  client_name?: string | null;
  /** PEM private key for private_key_jwt client authentication (RFC 7523). */
  private_key_pem?: string | null;
  /** Signing algorithm of private_key_jwt assertions; default "ES256". */
  signing_alg?: 'ES256' | 'RS256' | null;
}

/**
 * The configuration: client_id and token_url are required, unless server_url
 * is set (discovery mode).
 */
export type McpOAuthConfig =
  | (McpOAuthConfigFields & { client_id: string; token_url: string })
  | (McpOAuthConfigFields & { server_url: string });

/** An access token. The refresh token is never exposed. */
export interface Token {
  readonly accessToken: string;
  /** Always "Bearer". */
  readonly tokenType: string;
  /** When the token expires; null when the server gave no lifetime. */
  readonly expiresAt: Date | null;
  /** The granted scope ("" when the server did not state it). */
  readonly scope: string;
}

export interface AuthorizationRequest {
  /** The authorization URL to open in the user's browser. */
  url: string;
  /** The state parameter of this request. */
  state: string;
}

/** A started device authorization (RFC 8628 §3.2): what to show the user. */
export interface DeviceAuthorization {
  /** The code the user enters at verificationUri. */
  readonly userCode: string;
  /** Where the user goes, on any device. */
  readonly verificationUri: string;
  /** verificationUri with the user code in it (e.g. for a QR code); "" when the server sent none. */
  readonly verificationUriComplete: string;
  /** Seconds until the codes expire. */
  readonly expiresIn: number;
  /** Seconds between polls. */
  readonly interval: number;
}

/** Anything with getToken() and invalidate(), e.g. an OAuthTokenManager. */
export interface TokenSource {
  getToken(): Promise<string>;
  invalidate(token: string): void;
}

/**
 * An OAuth 2.1 client: configuration, token cache, background refresh and
 * pending authorizations, held by the libmcp_oauth engine.
 */
export declare class OAuthTokenManager implements TokenSource {
  /** @throws {ConfigError} when the configuration is invalid (`field` names it). */
  constructor(config: McpOAuthConfig);
  /** A valid access token; cached tokens are returned without a native call. */
  getToken(): Promise<string>;
  /** The whole token. */
  token(): Promise<Token>;
  /** Reports that a resource server rejected `token` (HTTP 401). */
  invalidate(token: string): void;
  /** Starts an authorization code flow with PKCE. */
  beginAuthorization(redirectUri?: string | null): AuthorizationRequest;
  /**
   * beginAuthorization() off the main thread: in discovery mode the first
   * authorization may run discovery and dynamic registration (network I/O).
   */
  beginAuthorizationAsync(redirectUri?: string | null): Promise<AuthorizationRequest>;
  /** Finishes the flow with the URL the browser was redirected to. */
  completeAuthorization(redirectUrl: string): Promise<void>;
  /**
   * Runs the whole authorization code flow with a loopback redirect listener
   * (RFC 8252): prints the URL on stderr, or passes it to `openCommand`
   * (e.g. 'xdg-open'); resolves when the browser came back.
   * Rejects with `signal.reason` when `signal` aborts first (see {@link Abortable}).
   */
  authorizeInteractively(options?: { openCommand?: string | null; timeoutSeconds?: number } & Abortable): Promise<void>;
  /**
   * Starts a device authorization (RFC 8628): show the user its userCode and
   * verificationUri. One is pending per manager; a new call replaces it.
   * @throws {UnsupportedError} when there is no device authorization endpoint.
   */
  beginDeviceAuthorization(options?: Abortable): Promise<DeviceAuthorization>;
  /**
   * Polls until the user approves (the tokens then live in the manager) or
   * denies (AuthorizationDeniedError), the codes expire (TimeoutError,
   * details.error 'expired_token') or timeoutSeconds pass (TimeoutError; still
   * pending). timeoutSeconds 0 (default) waits until the codes expire.
   * Rejects with `signal.reason` when `signal` aborts first; the
   * authorization then stays pending.
   */
  completeDeviceAuthorization(options?: { timeoutSeconds?: number } & Abortable): Promise<void>;
  /**
   * Begins, hands the device authorization to `prompt`, then completes.
   * Rejects with `signal.reason` when `signal` aborts first.
   */
  authorizeDevice(
    prompt: (device: DeviceAuthorization) => void | Promise<void>,
    options?: { timeoutSeconds?: number } & Abortable,
  ): Promise<void>;
  /**
   * Ends every call on this manager waiting in the engine (device polling,
   * the interactive flow, the other authorization calls, getToken() waiting
   * for a token request): they reject with CancelledError. Later calls are
   * not affected; a cancelled device authorization stays pending. Never
   * blocks; harmless when nothing is in progress.
   * @throws {BadHandleError} once the manager is closed.
   */
  cancel(): void;
  /** True once close() was called. */
  readonly closed: boolean;
  /** Releases the client. Idempotent; later calls fail with BadHandleError. */
  close(): void;
}

/**
 * The `signal` option of the calls that wait on the user. When it aborts, the
 * call is ended with cancel() — which also ends any other call then waiting
 * on the same manager, e.g. a getToken() — and the promise rejects with
 * `signal.reason`, as fetch() does: a DOMException named 'AbortError' for
 * `controller.abort()`, 'TimeoutError' for `AbortSignal.timeout()`, or the
 * reason given to `abort(reason)`. An already aborted signal rejects at once
 * and starts nothing. A call that finished before the abort could stop it
 * keeps its own outcome.
 */
export interface Abortable {
  signal?: AbortSignal;
}

/** A fresh PKCE code verifier (RFC 7636 §4.1). */
export declare function generateCodeVerifier(): string;
/** The S256 code challenge of a verifier (RFC 7636 §4.2). */
export declare function generateCodeChallenge(verifier: string): string;

/** The fetch signature authFetch wraps and returns. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Wraps fetch: every request carries `Authorization: Bearer <token>`; on a
 * 401 the token is invalidated and the request retried once with a new one.
 */
export declare function authFetch(manager: TokenSource, fetchImpl?: FetchLike): FetchLike;

/** The loaded library's version, e.g. "0.1.0". */
export declare function libraryVersion(): string;

/** Status codes of include/mcp_oauth.h. */
export declare const Status: {
  readonly OK: 0;
  readonly INVALID_ARGUMENT: -1;
  readonly BAD_HANDLE: -2;
  readonly CONFIG: -3;
  readonly NETWORK: -4;
  readonly TIMEOUT: -5;
  readonly OAUTH: -6;
  readonly PROTOCOL: -7;
  readonly STATE_MISMATCH: -8;
  readonly AUTHORIZATION_DENIED: -9;
  readonly AUTHORIZATION_REQUIRED: -10;
  readonly ISSUER_MISMATCH: -11;
  readonly UNSUPPORTED: -12;
  readonly INTERNAL: -13;
  readonly SERVER: -14;
  readonly MCP: -15;
  readonly DISCOVERY: -16;
  readonly RESOURCE_MISMATCH: -17;
  readonly REGISTRATION: -18;
  readonly INSUFFICIENT_SCOPE: -19;
  readonly CANCELLED: -20;
  readonly TOKEN_REJECTED: -21;
};
export type StatusCode = (typeof Status)[keyof typeof Status];

/** The members of the library's error JSON. */
export interface ErrorDetails {
  code: number;
  message: string;
  field?: string;
  error?: string;
  error_description?: string;
  error_uri?: string;
  status?: number;
  /** The JSON-RPC error code (McpError). */
  rpc_code?: number;
  [member: string]: unknown;
}

/** Base class of every error of this package. */
export declare class McpOAuthError extends Error {
  /** The MCP_OAUTH_E_* status code. */
  readonly code: number;
  /** The status name, e.g. "OAUTH". */
  readonly codeName: string;
  readonly details: Readonly<ErrorDetails>;
  /** Set on errors from MultiServerMcpClient: the name of the server at fault. */
  readonly server?: string;
}
export declare class InvalidArgumentError extends McpOAuthError {}
export declare class BadHandleError extends McpOAuthError {}
export declare class ConfigError extends McpOAuthError {
  /** The configuration field at fault. */
  readonly field: string;
}
export declare class NetworkError extends McpOAuthError {}
export declare class TimeoutError extends McpOAuthError {}
/** The authorization server answered with an OAuth error (RFC 6749 §5.2). */
export declare class OAuthError extends McpOAuthError {
  readonly error: string;
  readonly errorDescription: string;
  readonly errorUri: string;
  /** HTTP status of the response. */
  readonly status: number;
}
export declare class ProtocolError extends McpOAuthError {}
export declare class StateMismatchError extends McpOAuthError {}
/** The authorization response carried error= (e.g. access_denied). */
export declare class AuthorizationDeniedError extends McpOAuthError {
  readonly error: string;
  readonly errorDescription: string;
  readonly errorUri: string;
}
export declare class AuthorizationRequiredError extends McpOAuthError {}
export declare class IssuerMismatchError extends McpOAuthError {}
export declare class UnsupportedError extends McpOAuthError {}
export declare class InternalError extends McpOAuthError {}
/** The server answered with an HTTP error status and no OAuth error body (e.g. 503). */
export declare class ServerError extends McpOAuthError {
  /** HTTP status of the response. */
  readonly status: number;
}
/** The MCP server answered with a JSON-RPC error, or the MCP session failed. */
export declare class McpError extends McpOAuthError {
  /** The JSON-RPC error code (e.g. -32602); null for a session failure. */
  readonly rpcCode: number | null;
}
/** MCP authorization discovery failed (no usable metadata, no PKCE S256, a refused URL, ...). */
export declare class DiscoveryError extends McpOAuthError {}
/** The protected resource metadata names another resource than the MCP server (RFC 9728 §3.3). */
export declare class ResourceMismatchError extends McpOAuthError {}
/** The client could not be identified to the authorization server (e.g. registration refused). */
export declare class RegistrationError extends McpOAuthError {
  readonly error: string;
  readonly errorDescription: string;
  /** HTTP status of the registration response (0 when none). */
  readonly status: number;
}
/** The MCP server still answered insufficient_scope after 3 step-up authorizations. */
export declare class InsufficientScopeError extends McpOAuthError {}
/** The call was ended by cancel() (an aborted `signal` rejects with its reason instead). */
export declare class CancelledError extends McpOAuthError {}
/**
 * The MCP server answered 401 to an access token obtained just after it had
 * refused the previous one (issued for another resource, by another
 * authorization server, with scopes it does not accept).
 */
export declare class TokenRejectedError extends McpOAuthError {
  /** From the server's WWW-Authenticate challenge, e.g. "invalid_token" ('' when none). */
  readonly error: string;
  readonly errorDescription: string;
  /** 401. */
  readonly status: number;
}

/* ------------------------------------------------------------------------
 * MCP connections
 * ------------------------------------------------------------------------ */

/** 'auto': Streamable HTTP, falling back to HTTP+SSE when the server does not speak it. */
export type McpTransport = 'streamable_http' | 'sse' | 'auto';

export interface McpConnectOptions {
  /** Default "streamable_http". */
  transport?: McpTransport;
  /** The MCP clientInfo name; default "mcp-oauth". */
  clientName?: string;
  /** Bound on connecting and on each request, in seconds; default 60. */
  timeoutSeconds?: number;
}

/** A JSON object (tool arguments, request params). */
export type JsonObject = { [key: string]: unknown };

/** A tool as listed by tools/list. */
export interface McpTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: JsonObject;
  outputSchema?: JsonObject;
  annotations?: JsonObject;
  [member: string]: unknown;
}

/** One content block of a tool result. */
export interface McpContent {
  type: 'text' | 'image' | 'audio' | 'resource_link' | 'resource' | string;
  text?: string;
  [member: string]: unknown;
}

export interface McpCallToolResult {
  content: McpContent[];
  structuredContent?: JsonObject;
  /** True when the tool failed (the call itself succeeded). */
  isError?: boolean;
  [member: string]: unknown;
}

/** The MCP methods McpClient.request() accepts. */
export type McpMethod =
  | 'ping' | 'tools/list' | 'tools/call' | 'resources/list' | 'resources/read'
  | 'resources/templates/list' | 'prompts/list' | 'prompts/get' | 'completion/complete';

/**
 * One MCP session with one server (Streamable HTTP or HTTP+SSE), authorized
 * by an OAuthTokenManager: bearer tokens on every request to the server's
 * origin, a new token on 401, scope step-up on 403 insufficient_scope. Every
 * call runs off the main thread.
 */
export declare class McpClient {
  private constructor();
  /**
   * Connects and initializes the session.
   * @throws {AuthorizationRequiredError} when a user must authorize first:
   *   run manager.beginAuthorizationAsync() / completeAuthorization() and retry.
   */
  static connect(manager: OAuthTokenManager, serverUrl: string, options?: McpConnectOptions): Promise<McpClient>;
  readonly serverUrl: string;
  readonly transport: McpTransport;
  /** The manager authorizing this client (null once closed). */
  readonly manager: OAuthTokenManager | null;
  readonly closed: boolean;
  /** The server's tools (every page of tools/list). */
  listTools(): Promise<McpTool[]>;
  /** A failing tool resolves with isError: true; a JSON-RPC error rejects with McpError. */
  callTool(name: string, args?: JsonObject | null): Promise<McpCallToolResult>;
  request(method: McpMethod, params?: JsonObject | null): Promise<JsonObject>;
  /** Ends the session. Idempotent, never rejects; later calls fail with BadHandleError. */
  close(): Promise<void>;
}

/** One server of a MultiServerMcpClient. */
export interface McpServerSpec extends McpConnectOptions {
  /** The MCP endpoint URL. */
  url: string;
  /**
   * An OAuthTokenManager (left open by close()), or a configuration from
   * which one is made (and closed by close()). Default {server_url: url}; a
   * configuration with neither server_url nor token_url gets server_url = url.
   */
  auth?: OAuthTokenManager | McpOAuthConfigFields;
  /** Same as clientName (the Python binding's spelling). */
  client_name?: string;
  /** Same as timeoutSeconds (the Python binding's spelling). */
  timeout_seconds?: number;
}

/** A tool with the name of its server. */
export interface McpServerTool extends McpTool {
  server: string;
}

/** Several named MCP servers, each with its own authorization; connected on first use. */
export declare class MultiServerMcpClient {
  constructor(servers: Record<string, McpServerSpec>);
  /** The server names, in the order given. */
  readonly servers: string[];
  /** The OAuthTokenManager of a server, e.g. to run its authorization. */
  manager(server: string): OAuthTokenManager;
  /** The connected client of a server (connects on first use). */
  session(server: string): Promise<McpClient>;
  /** Connects every server now instead of on first use. */
  connect(): Promise<this>;
  /** Every tool of every server (or of `server` only; all pages), each with `server`. */
  getTools(server?: string): Promise<McpServerTool[]>;
  callTool(server: string, name: string, args?: JsonObject | null): Promise<McpCallToolResult>;
  /** Closes every session and the managers made from configurations. Idempotent. */
  close(): Promise<void>;
}
