// Type declarations for mcp-oauth (Node.js binding of libmcp_oauth).

/**
 * Client configuration: the seed's McpOAuthConfig plus the extras of
 * include/mcp_oauth.h. Keys are snake_case, one schema for every language;
 * the engine decodes it strictly (an unknown key is a ConfigError naming it).
 * `undefined` and `null` mean "not set".
 */
export interface McpOAuthConfig {
  /** OAuth client identifier. */
  client_id: string;
  /** Client secret (confidential clients). */
  client_secret?: string | null;
  /** Token endpoint: https://, or http:// on a loopback address. */
  token_url: string;
  /** Authorization endpoint, needed for the authorization code flow. */
  authorize_url?: string | null;
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
  /** Default: client_secret_basic with a secret, none without. */
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'none' | null;
  /** When set, the authorization response must carry a matching `iss` (RFC 9207). */
  issuer?: string | null;
  /** Bound on each HTTP request, in seconds; default 30. */
  http_timeout_seconds?: number | null;
  /** Start a background refresh this long before expiry; default 30. */
  refresh_margin_seconds?: number | null;
  /** PEM file of trusted CA certificates. */
  ca_file?: string | null;
}

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
  /** Finishes the flow with the URL the browser was redirected to. */
  completeAuthorization(redirectUrl: string): Promise<void>;
  /** True once close() was called. */
  readonly closed: boolean;
  /** Releases the client. Idempotent; later calls fail with BadHandleError. */
  close(): void;
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
  [member: string]: unknown;
}

/** Base class of every error of this package. */
export declare class McpOAuthError extends Error {
  /** The MCP_OAUTH_E_* status code. */
  readonly code: number;
  /** The status name, e.g. "OAUTH". */
  readonly codeName: string;
  readonly details: Readonly<ErrorDetails>;
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
