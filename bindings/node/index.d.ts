// Type declarations for mcp-oauth (Node.js binding of libmcp_oauth).

// BEGIN GENERATED config (make generate; source: core/config.go)
/**
 * Client configuration (generated from core/config.go). Keys are snake_case,
 * one schema for every language (Node takes their camelCase spellings too:
 * McpOAuthConfigCamelFields); the engine decodes it strictly (an unknown key
 * is a ConfigError naming it). `undefined` and `null` mean "not set".
 */
export interface McpOAuthConfigFields {
  /**
   * The OAuth client identifier. With `server_url` (and another grant than `jwt_bearer`) a client
   * ID metadata document or dynamic registration (RFC 7591) may identify the client instead.
   * Required unless `server_url` is set.
   */
  client_id?: string | null;
  /** A confidential client's secret. */
  client_secret?: string | null;
  /**
   * The token endpoint: https://, or http:// on a loopback address. Discovered with `server_url`.
   * Required unless `server_url` is set.
   */
  token_url?: string | null;
  /** The authorization endpoint: enables the authorization code flow. */
  authorize_url?: string | null;
  /** The scopes to request (RFC 6749 §3.3). With `server_url`, the server's when not set. */
  scopes?: string[] | null;
  /**
   * PKCE with S256 (RFC 7636). On by default with `authorize_url` or the `authorization_code`
   * grant; OAuth 2.1 requires it, so false is refused together with `authorize_url`.
   */
  pkce?: boolean | null;
  /**
   * The RFC 8707 resource indicator sent on every authorization and token request. With
   * `server_url`, the discovered one when not set.
   */
  resource?: string | null;
  /**
   * The redirect URI of the authorization code flow: the default of authorize_begin. With
   * `server_url`, http://127.0.0.1/callback (a loopback listener on a free port, RFC 8252 §7.3)
   * when not set.
   */
  redirect_uri?: string | null;
  /**
   * The grant that obtains tokens. Default: `jwt_bearer` when `idp_id_token` or a workload identity
   * token is set; `authorization_code` with `authorize_url`, `device_authorization_url`, or
   * `server_url` without a client secret or key; else `client_credentials`.
   */
  grant_type?: 'client_credentials' | 'authorization_code' | 'jwt_bearer' | null;
  /**
   * How the client authenticates at the token endpoint (RFC 7591 §2). Default: `private_key_jwt`
   * with `private_key_pem`, `client_secret_basic` with `client_secret`, else `none`.
   */
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none' | null;
  /**
   * The authorization server's issuer: authorization responses must carry a matching `iss` (RFC
   * 9207). With `server_url`, the only authorization server the client's credentials are sent to:
   * an MCP server whose metadata names another is refused before that server is contacted. Required
   * with `jwt_bearer` without `server_url` (it is the ID-JAG's audience). Required with
   * `server_url` and a `client_secret` or `private_key_pem`.
   */
  issuer?: string | null;
  /** The bound on each HTTP request, in seconds (0 means the default; at most 3600). Default 30. */
  http_timeout_seconds?: number | null;
  /**
   * A token is refreshed in the background once it is this many seconds from expiry, or in its last
   * 10 % of life if that is longer, but at most half its lifetime (0 to 86400). Default 30.
   */
  refresh_margin_seconds?: number | null;
  /** A PEM file of CAs to trust besides the system's (a company's private CA, say). */
  ca_file?: string | null;
  /**
   * The bound on each MCP response body and on each event of an MCP SSE stream, in bytes (0 means
   * the default; at most 1 GiB): past it the session is closed and the call fails, naming this
   * member. Default 8388608 (8 MiB).
   */
  mcp_max_response_bytes?: number | null;
  /**
   * A directory (created 0700; refused if others can read it) where the client registration and the
   * tokens are kept in 0600 files, per MCP server, issuer and client, so that a restarted program
   * reuses them.
   */
  token_store_dir?: string | null;
  /**
   * A token store instead of files: `keyring`, the OS keyring (the Secret Service on Linux, with
   * `token_store_dir`, default ~/.config/mcp-oauth, holding only lock files, or everything where no
   * keyring runs; the Credential Manager on Windows; see "Token store" in docs/concepts.md); or,
   * shared by processes on many hosts instead of `token_store_dir`, the `redis://` or `rediss://`
   * URL of a Redis or Valkey server (user and password in the URL, or the password in the
   * environment variable `MCP_OAUTH_REDIS_PASSWORD`): one token request per credential across the
   * fleet; see "Running on many hosts" in docs/concepts.md.
   */
  token_store?: string | null;
  /**
   * A file holding the key that encrypts the entries of `token_store` (AES-256-GCM): 32 bytes, raw
   * or base64. Without it the environment variable `MCP_OAUTH_STORE_KEY` (32 bytes, base64) is
   * used; without either, tokens are stored in clear.
   */
  token_store_key_file?: string | null;
  /**
   * When `token_store` cannot be reached: `unshared` requests tokens without sharing them, `fail`
   * fails the token request with a network error. Callers holding a valid token are not affected
   * either way. Default unshared.
   */
  token_store_fallback?: 'unshared' | 'fail' | null;
  /**
   * The MCP server's URL: discovery mode (MCP authorization). The authorization server is found
   * from its protected resource metadata (RFC 9728, RFC 8414); `token_url`, `authorize_url` and
   * `client_id` become optional.
   */
  server_url?: string | null;
  /**
   * The https URL of the client's ID metadata document, used as `client_id` when the authorization
   * server supports it.
   */
  client_metadata_url?: string | null;
  /** The client_name sent in dynamic client registration (RFC 7591). */
  client_name?: string | null;
  /**
   * A PEM private key for `private_key_jwt` client authentication (RFC 7523 §2.2), the default
   * auth method with it.
   */
  private_key_pem?: string | null;
  /** The signing algorithm of the `private_key_jwt` assertions. Default ES256. */
  signing_alg?: 'ES256' | 'RS256' | null;
  /**
   * The device authorization endpoint (RFC 8628 §3.1), for the device flow, when endpoints are
   * configured rather than discovered. The device grant obtains user-delegated tokens: with it
   * `grant_type` defaults to `authorization_code`, which then needs no `authorize_url`.
   */
  device_authorization_url?: string | null;
  /**
   * The enterprise identity provider's token endpoint (https://, or http:// on loopback), where the
   * user's ID token is exchanged for an ID-JAG (RFC 8693). Required with `jwt_bearer`.
   */
  idp_token_endpoint?: string | null;
  /** The client's identifier at the identity provider. Required with `jwt_bearer`. */
  idp_client_id?: string | null;
  /**
   * The client's secret at the identity provider (client_secret_basic); without it the client is
   * public there.
   */
  idp_client_secret?: string | null;
  /** The user's ID token from the identity provider. Required with `jwt_bearer`. */
  idp_id_token?: string | null;
  /**
   * DPoP-bound tokens (RFC 9449): true binds every token to a key of the client; unset uses DPoP
   * when the MCP server asks for it (its metadata's `dpop_bound_access_tokens_required`, or DPoP
   * challenges); false never (a server that requires it is then a configuration error).
   */
  dpop?: boolean | null;
  /**
   * The DPoP private key, PEM: EC P-256 (ES256) or RSA of at least 2048 bits (RS256). Default: a
   * generated key, kept in `token_store_dir` with the tokens it binds.
   */
  dpop_key_pem?: string | null;
  /**
   * A workload identity JWT (a Kubernetes service-account token, a GitHub Actions OIDC token, a
   * SPIFFE JWT-SVID) presented as a jwt-bearer grant (RFC 7523 §2.1, workload identity
   * federation); selects `jwt_bearer`.
   */
  workload_identity_token?: string | null;
  /**
   * A file holding the workload identity JWT, read again for every new token so that a rotated file
   * is followed; selects `jwt_bearer`.
   */
  workload_identity_token_file?: string | null;
  /**
   * A command (program and arguments, no shell) printing the workload identity JWT, bounded by
   * `http_timeout_seconds`; selects `jwt_bearer`.
   */
  workload_identity_token_command?: string[] | null;
  /**
   * How the manager logs a user in by itself when a token needs one (instead of failing with
   * "authorization required"): `browser` runs the interactive authorization code flow (RFC 8252, a
   * loopback redirect) and shows the URL with `open_command`; `device` runs the device
   * authorization grant (RFC 8628) and prints its user code and verification URI to standard error.
   * One login at a time, shared by every caller waiting for a token; the explicit authorize and
   * device calls remain. Needs the `authorization_code` grant. Default none.
   */
  login?: 'none' | 'browser' | 'device' | null;
  /**
   * The program that opens the authorization URL of `login` `browser`, started with the URL as its
   * only argument (no shell), e.g. `xdg-open`; without it the URL is printed to standard error.
   */
  open_command?: string | null;
  /**
   * HTTP headers sent on every MCP request to the server (its origin only, never to the
   * authorization server), as lines "Name: value" — an API key or a routing header a gateway
   * wants. Authorization, DPoP, Cookie, Host, the MCP transport's own headers (Accept,
   * Content-Type, Mcp-*) and HTTP framing headers are refused.
   */
  mcp_headers?: string[] | null;
}

/**
 * The members of McpOAuthConfigFields spelled in camelCase, as Node options
 * are: the binding turns them into the engine's names. A member given in both
 * spellings is a ConfigError.
 */
export interface McpOAuthConfigCamelFields {
  clientId?: McpOAuthConfigFields['client_id'];
  clientSecret?: McpOAuthConfigFields['client_secret'];
  tokenUrl?: McpOAuthConfigFields['token_url'];
  authorizeUrl?: McpOAuthConfigFields['authorize_url'];
  redirectUri?: McpOAuthConfigFields['redirect_uri'];
  grantType?: McpOAuthConfigFields['grant_type'];
  tokenEndpointAuthMethod?: McpOAuthConfigFields['token_endpoint_auth_method'];
  httpTimeoutSeconds?: McpOAuthConfigFields['http_timeout_seconds'];
  refreshMarginSeconds?: McpOAuthConfigFields['refresh_margin_seconds'];
  caFile?: McpOAuthConfigFields['ca_file'];
  mcpMaxResponseBytes?: McpOAuthConfigFields['mcp_max_response_bytes'];
  tokenStoreDir?: McpOAuthConfigFields['token_store_dir'];
  tokenStore?: McpOAuthConfigFields['token_store'];
  tokenStoreKeyFile?: McpOAuthConfigFields['token_store_key_file'];
  tokenStoreFallback?: McpOAuthConfigFields['token_store_fallback'];
  serverUrl?: McpOAuthConfigFields['server_url'];
  clientMetadataUrl?: McpOAuthConfigFields['client_metadata_url'];
  clientName?: McpOAuthConfigFields['client_name'];
  privateKeyPem?: McpOAuthConfigFields['private_key_pem'];
  signingAlg?: McpOAuthConfigFields['signing_alg'];
  deviceAuthorizationUrl?: McpOAuthConfigFields['device_authorization_url'];
  idpTokenEndpoint?: McpOAuthConfigFields['idp_token_endpoint'];
  idpClientId?: McpOAuthConfigFields['idp_client_id'];
  idpClientSecret?: McpOAuthConfigFields['idp_client_secret'];
  idpIdToken?: McpOAuthConfigFields['idp_id_token'];
  dpopKeyPem?: McpOAuthConfigFields['dpop_key_pem'];
  workloadIdentityToken?: McpOAuthConfigFields['workload_identity_token'];
  workloadIdentityTokenFile?: McpOAuthConfigFields['workload_identity_token_file'];
  workloadIdentityTokenCommand?: McpOAuthConfigFields['workload_identity_token_command'];
  openCommand?: McpOAuthConfigFields['open_command'];
  mcpHeaders?: McpOAuthConfigFields['mcp_headers'];
}

/**
 * The configuration: client_id and token_url are required unless server_url is set (in either
 * spelling).
 */
export type McpOAuthConfig =
  | (McpOAuthConfigFields & McpOAuthConfigCamelFields & { client_id: string; token_url: string })
  | (McpOAuthConfigFields & McpOAuthConfigCamelFields & { server_url: string })
  | (McpOAuthConfigFields & McpOAuthConfigCamelFields & { clientId: string; tokenUrl: string })
  | (McpOAuthConfigFields & McpOAuthConfigCamelFields & { serverUrl: string });
// END GENERATED config

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

/**
 * What an OAuthTokenManager holds and uses now (manager.status(),
 * mcp_oauth_status): never a token, a secret or a password. URLs are shown
 * without userinfo and query; a string not known yet is "".
 */
export interface AuthStatus {
  /** The MCP server (config server_url). */
  readonly serverUrl: string;
  /** config grant_type. */
  readonly grantType: string;
  /** The authorization server is known (configured, or found by discovery). */
  readonly discovered: boolean;
  /** A valid access token is cached. */
  readonly hasToken: boolean;
  /** "Bearer" or "DPoP", of the cached token ("" when none). */
  readonly tokenType: string;
  /** When the cached token expires; null without one or without a stated lifetime. */
  readonly expiresAt: Date | null;
  /** Seconds until expiresAt (negative once past); null with it. */
  readonly expiresInSeconds: number | null;
  /** A refresh token is held (RFC 6749 §6). */
  readonly hasRefreshToken: boolean;
  /** The scopes granted to the cached token. */
  readonly scopes: readonly string[];
  /** The scopes the next token request asks for. */
  readonly requestedScopes: readonly string[];
  /** The scopes of the MCP server's latest challenge (401, or 403 insufficient_scope). */
  readonly challengedScopes: readonly string[];
  /** The scopes a step-up still needs a user to authorize. */
  readonly stepUpScopes: readonly string[];
  readonly issuer: string;
  /** The authorization server the protected resource metadata listed and the library chose. */
  readonly authorizationServer: string;
  readonly tokenEndpoint: string;
  /** The RFC 8707 resource indicator sent with token requests. */
  readonly resource: string;
  readonly clientId: string;
  /** How the client was obtained ("" before discovery chose). */
  readonly clientSource: '' | 'configured' | 'dynamic_registration' | 'client_id_metadata_document';
  readonly tokenEndpointAuthMethod: string;
  /** The token store: kind "file" with dir, or a URL scheme (e.g. "redis") with location; null in memory only. */
  readonly store: { readonly kind: string; readonly dir: string; readonly location: string } | null;
  /** Authorization code flows begun and not completed. */
  readonly pendingAuthorizations: number;
  readonly closed: boolean;
}

/** An McpClient's session (client.status(), mcp_client_status): never a token or a secret. */
export interface SessionStatus {
  /** The MCP server, without userinfo and query. */
  readonly serverUrl: string;
  /** The transport in use ("sse" after "auto" fell back to it). */
  readonly transport: 'streamable_http' | 'sse';
  /** The Mcp-Session-Id the server assigned; "" when none (always over "sse"). */
  readonly sessionId: string;
  /** The MCP version the initialization negotiated. */
  readonly protocolVersion: string;
  /** The server's serverInfo name and version. */
  readonly serverName: string;
  readonly serverVersion: string;
  /** The status of the session's manager. */
  readonly auth: AuthStatus;
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
/** Options of the OAuthTokenManager constructor. */
export interface OAuthTokenManagerOptions {
  /** The application's login function: authorization URL in, redirected URL out. */
  onAuthorizationRequired?: (url: string) => string | Promise<string>;
  /** The application's device prompt: shows the user code (RFC 8628); the binding then polls. */
  onDeviceAuthorization?: (device: DeviceAuthorization) => void | Promise<void>;
}

export declare class OAuthTokenManager implements TokenSource {
  /**
   * @param options.onAuthorizationRequired logs a user in when a call needs
   *   one (instead of rejecting with AuthorizationRequiredError): it gets the
   *   authorization URL and returns, or resolves to, the URL the browser was
   *   redirected to; calls needing the user at the same time share one call.
   * @throws {ConfigError} when the configuration is invalid (`field` names it).
   */
  constructor(config: McpOAuthConfig, options?: OAuthTokenManagerOptions);
  /**
   * A valid access token; cached tokens are returned without a native call.
   * Aborting `signal` ends a token request in progress (cancel()) and rejects
   * with `signal.reason`.
   */
  getToken(options?: Abortable): Promise<string>;
  /** The whole token; `signal` as for getToken(). */
  token(options?: Abortable): Promise<Token>;
  /** Reports that a resource server rejected `token` (HTTP 401). */
  invalidate(token: string): void;
  /** Whether a request should first go out without a token (discovery mode, nothing known yet). */
  needsChallenge(): boolean;
  /**
   * The engine's verdict on a response to a request that carried `token`
   * ('' for none): the token to re-send with, or null when final.
   * `previous`: the status that made this request go out again (0 first).
   */
  handleResponse(status: number, wwwAuthenticate: string | null, token: string, previous?: number, options?: Abortable): Promise<string | null>;
  /** The headers to send one request with: the configured mcp_headers and `Authorization` (Bearer, or DPoP with a fresh `DPoP` proof for a DPoP-bound token). No I/O. */
  requestHeaders(method: string, url: string, token: string): Record<string, string>;
  /** Keeps a response's DPoP-Nonce; true to send the same request once more with the same token (a 401 use_dpop_nonce). No I/O. */
  dpopNonce(url: string, token: string, status: number, wwwAuthenticate: string | null, dpopNonce: string | null): boolean;
  /**
   * Starts an authorization code flow with PKCE, off the main thread: in
   * discovery mode the first authorization may run discovery and dynamic
   * registration (network I/O).
   */
  beginAuthorization(redirectUri?: string | null, options?: Abortable): Promise<AuthorizationRequest>;
  /** @deprecated the former name of beginAuthorization(), from when that one was synchronous. */
  beginAuthorizationAsync(redirectUri?: string | null, options?: Abortable): Promise<AuthorizationRequest>;
  /** Finishes the flow with the URL the browser was redirected to. */
  completeAuthorization(redirectUrl: string, options?: Abortable): Promise<void>;
  /**
   * Runs the whole authorization code flow with a loopback redirect listener
   * (RFC 8252): prints the URL on stderr, or passes it to `openCommand`: a
   * program (e.g. 'xdg-open') or a function `(url) => …` (run on the main
   * thread; a throw or a rejection ends the login with that error); resolves
   * when the browser came back.
   * Rejects with `signal.reason` when `signal` aborts first (see {@link Abortable}).
   */
  authorizeInteractively(options?: { openCommand?: string | ((url: string) => unknown) | null; timeoutSeconds?: number } & Abortable): Promise<void>;
  /**
   * Starts a device authorization (RFC 8628): show the user its userCode and
   * verificationUri. One is pending per manager; a new call replaces it.
   * @throws {UnsupportedError} when there is no device authorization endpoint.
   */
  beginDeviceAuthorization(options?: Abortable): Promise<DeviceAuthorization>;
  /**
   * Polls until the user approves (the tokens then live in the manager) or
   * denies (AuthorizationDeniedError), the codes expire (McpOAuthTimeoutError,
   * details.error 'expired_token') or timeoutSeconds pass (McpOAuthTimeoutError; still
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
   * for a token request): they reject with McpOAuthCancelledError. Later calls are
   * not affected; a cancelled device authorization stays pending. Never
   * blocks; harmless when nothing is in progress.
   * @throws {BadHandleError} once the manager is closed.
   */
  cancel(): void;
  /**
   * What the manager holds and uses now, never a token or a secret; no I/O.
   * @throws {BadHandleError} once the manager is closed.
   */
  status(): AuthStatus;
  /** True once close() was called. */
  readonly closed: boolean;
  /**
   * Releases the client, off the main thread: closed at once (later calls
   * fail with BadHandleError); the promise settles when the engine has let
   * go and never rejects. Idempotent.
   */
  close(): Promise<void>;
  /** `await using manager = new OAuthTokenManager(...)`: awaits close(). */
  [Symbol.asyncDispose](): Promise<void>;
  /** `using manager = ...`: starts close() without waiting for it. */
  [Symbol.dispose](): void;
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
 * Wraps fetch: every request carries `Authorization: Bearer <token>`. With an
 * OAuthTokenManager the engine decides on every response: a tokenless probe
 * first in discovery mode, a 401 re-sent once only with a different token
 * (a second 401 rejects with TokenRejectedError), a 403 insufficient_scope
 * stepped up and re-sent once. Pass it as `fetch` to the MCP TypeScript
 * SDK's transports (docs/sdk-typescript.md). Another TokenSource gets the
 * 401 rule alone.
 */
export declare function authFetch(manager: TokenSource, fetchImpl?: FetchLike): FetchLike;

/** The loaded library's version, e.g. "0.2.0". */
export declare function libraryVersion(): string;

/** A level of the library's events, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One event of the library (docs/concepts.md, "Logging"); never a secret or token. */
export interface LogEvent {
  level: LogLevel;
  /** A stable name, e.g. "token.request". */
  event: string;
  /** A sentence, then the fields as key=value. */
  message: string;
  fields: Record<string, string | number | boolean | string[]>;
}

/**
 * Sends the process's events of `level` (default 'debug') or above to
 * `handler`, on the main thread, shortly after they happen (when an
 * asynchronous call settles, else within 100 ms); null stops. With
 * NODE_DEBUG=mcp-oauth and no handler set, events go to stderr.
 */
export declare function setLogHandler(handler: ((event: LogEvent) => void) | null, options?: { level?: LogLevel }): void;

// BEGIN GENERATED status (make generate; source: include/mcp_oauth.h)
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
// END GENERATED status
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
  /** Seconds the server asked to wait (the Retry-After of a 429 or 503). */
  retry_after?: number;
  /** The JSON-RPC error code (McpError). */
  rpc_code?: number;
  /** The server at fault, for the calls of a multi-server client. */
  server?: string;
  [member: string]: unknown;
}

/** The status names of errors, as the header's macros: 'MCP_OAUTH_E_TIMEOUT', ... */
export type ErrorCode = `MCP_OAUTH_E_${Exclude<keyof typeof Status, 'OK'>}`;

/** Base class of every error of this package. */
export declare class McpOAuthError extends Error {
  /**
   * @param options `errno` (a Status number) or `code` (a number or an
   *   ErrorCode); default INTERNAL.
   */
  constructor(message: string, options?: { errno?: number; code?: number | ErrorCode; details?: ErrorDetails; cause?: unknown });
  /**
   * The status as the header names it, e.g. 'MCP_OAUTH_E_OAUTH' (a string,
   * as Node's own errors' `code`); 'MCP_OAUTH_E_UNKNOWN' for a status this
   * binding does not know.
   */
  readonly code: ErrorCode | 'MCP_OAUTH_E_UNKNOWN';
  /** The status number, a Status value (negative), e.g. -6. */
  readonly errno: number;
  /** The status name without prefix, e.g. "OAUTH". */
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
/**
 * A request, a wait for the browser or device polling ran out of time, or a
 * device code expired (details.error 'expired_token'). Not the DOMException
 * named 'TimeoutError' that an AbortSignal.timeout() signal rejects with.
 */
export declare class McpOAuthTimeoutError extends McpOAuthError {}
/** @deprecated renamed McpOAuthTimeoutError (its name was that of AbortSignal.timeout()'s DOMException). */
export declare const TimeoutError: typeof McpOAuthTimeoutError;
/** @deprecated renamed McpOAuthTimeoutError. */
export type TimeoutError = McpOAuthTimeoutError;
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
export declare class McpOAuthCancelledError extends McpOAuthError {}
/** @deprecated renamed McpOAuthCancelledError. */
export declare const CancelledError: typeof McpOAuthCancelledError;
/** @deprecated renamed McpOAuthCancelledError. */
export type CancelledError = McpOAuthCancelledError;
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
  /** Aborting it ends the connect (the manager's cancel()) and rejects with its reason. */
  signal?: AbortSignal | null;
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
  /**
   * The session (its Mcp-Session-Id, protocol version, server, transport) and
   * its manager's status, never a token or a secret; no I/O.
   * @throws {BadHandleError} once the client is closed.
   */
  status(): SessionStatus;
  /**
   * The server's tools (every page of tools/list). Aborting `signal` ends the
   * request (mcp_client_cancel) and rejects with `signal.reason`; likewise for
   * callTool() and request().
   */
  listTools(options?: Abortable): Promise<McpTool[]>;
  /** A failing tool resolves with isError: true; a JSON-RPC error rejects with McpError. */
  callTool(name: string, args?: JsonObject | null, options?: Abortable): Promise<McpCallToolResult>;
  request(method: McpMethod, params?: JsonObject | null, options?: Abortable): Promise<JsonObject>;
  /**
   * Sets the function (or async function) that answers the server's elicitation
   * requests from now on; null declines them all (the default). It runs on the
   * main thread; a handler that throws or rejects cancels.
   */
  setElicitationHandler(handler: ElicitationHandler | null): void;
  /** The server's skills (SEP-2640): the first page of skills/list; reads no skill file. */
  listSkills(options?: Abortable): Promise<JsonObject>;
  /** Loads a skill, each file verified before the next is read; ProtocolError when one fails. */
  loadSkill(uri: string, options?: Abortable): Promise<{ uri: string; files: { uri: string; text: string }[] }>;
  /** Ends the session. Idempotent, never rejects; later calls fail with BadHandleError. */
  close(): Promise<void>;
  /** `await using client = await McpClient.connect(...)`: awaits close(). */
  [Symbol.asyncDispose](): Promise<void>;
  /** `using`: starts close() without waiting for it. */
  [Symbol.dispose](): void;
}

/** A server's elicitation request (MCP "Elicitation"): a form or a URL to open. */
export interface ElicitationRequest {
  mode: 'form' | 'url';
  message: string;
  /** Form mode: the form's JSON Schema, as the server sent it. */
  requestedSchema?: JsonObject;
  /** URL mode: the page to open and its id. */
  url?: string;
  elicitationId?: string;
}

/** The answer; form fields left out of content get the schema's defaults. */
export interface ElicitationAnswer {
  action: 'accept' | 'decline' | 'cancel';
  content?: JsonObject;
}

/** Answers one request; null declines. */
export type ElicitationHandler = (
  request: ElicitationRequest,
) => ElicitationAnswer | null | Promise<ElicitationAnswer | null>;

/** One server of a MultiServerMcpClient. */
export interface McpServerSpec extends McpConnectOptions {
  /** The MCP endpoint URL. */
  url: string;
  /**
   * An OAuthTokenManager (left open by close()), or a configuration from
   * which one is made (and closed by close()). Default {server_url: url}; a
   * configuration with neither server_url nor token_url gets server_url = url.
   */
  auth?: OAuthTokenManager | (McpOAuthConfigFields & McpOAuthConfigCamelFields);
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
  /**
   * The connected client of a server (connects on first use). Aborting
   * `signal` ends the attempt (mcp_client_multi_cancel: every call of this
   * client then waiting, those sharing the attempt too).
   */
  session(server: string, options?: Abortable): Promise<McpClient>;
  /** Connects every server now instead of on first use; `signal` as for session(). */
  connect(options?: Abortable): Promise<this>;
  /**
   * Every tool of every server (or of `server` only; all pages), each with
   * `server`. Aborting `signal` ends the call (mcp_client_multi_cancel) and
   * rejects with `signal.reason`; likewise for callTool().
   */
  getTools(server?: string | null, options?: Abortable): Promise<McpServerTool[]>;
  callTool(server: string, name: string, args?: JsonObject | null, options?: Abortable): Promise<McpCallToolResult>;
  /** Closes every session and the managers made from configurations. Idempotent; never rejects. */
  close(): Promise<void>;
  /** `await using`: awaits close(). */
  [Symbol.asyncDispose](): Promise<void>;
  /** `using`: starts close() without waiting for it. */
  [Symbol.dispose](): void;
}
