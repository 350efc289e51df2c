'use strict';
// Error classes: one per status code of include/mcp_oauth.h. Each carries the
// status as a string `code` (the header's macro name, as Node's own errors
// carry 'ENOENT' or 'ERR_INVALID_ARG_TYPE'), the number as `errno`, and the
// parsed out_error JSON as `details`. The library's
// messages never contain a secret, a token, a code or a PKCE verifier, and the
// binding adds none.

// BEGIN GENERATED status (make generate; source: include/mcp_oauth.h)
/** Status codes of include/mcp_oauth.h (stable: appended, never renumbered). */
const Status = Object.freeze({
  OK: 0,
  INVALID_ARGUMENT: -1,
  BAD_HANDLE: -2,
  CONFIG: -3,
  NETWORK: -4,
  TIMEOUT: -5,
  OAUTH: -6,
  PROTOCOL: -7,
  STATE_MISMATCH: -8,
  AUTHORIZATION_DENIED: -9,
  AUTHORIZATION_REQUIRED: -10,
  ISSUER_MISMATCH: -11,
  UNSUPPORTED: -12,
  INTERNAL: -13,
  SERVER: -14,
  MCP: -15,
  DISCOVERY: -16,
  RESOURCE_MISMATCH: -17,
  REGISTRATION: -18,
  INSUFFICIENT_SCOPE: -19,
  CANCELLED: -20,
  TOKEN_REJECTED: -21,
});
// END GENERATED status

const NAMES = Object.freeze(Object.fromEntries(Object.entries(Status).map(([k, v]) => [v, k])));

/** statusOf reads a status given as a number or as its name ('MCP_OAUTH_E_X'). */
function statusOf(code) {
  if (typeof code !== 'string') return code;
  return code.startsWith('MCP_OAUTH_E_') ? Status[code.slice('MCP_OAUTH_E_'.length)] : undefined;
}

class McpOAuthError extends Error {
  /**
   * @param {string} message
   * @param {{errno?: number, code?: number|string, details?: object, cause?: unknown}} [opts]
   *   the status: `errno` a Status number, or `code` a number or a name
   *   ('MCP_OAUTH_E_TIMEOUT'); default INTERNAL
   */
  constructor(message, opts = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    const code = opts.errno ?? statusOf(opts.code) ?? Status.INTERNAL;
    /** The status name without prefix, e.g. "OAUTH" for MCP_OAUTH_E_OAUTH. */
    this.codeName = NAMES[code] ?? 'UNKNOWN';
    /** The status as the header names it, e.g. "MCP_OAUTH_E_OAUTH". */
    this.code = `MCP_OAUTH_E_${this.codeName}`;
    /** The MCP_OAUTH_E_* status number (negative), e.g. -6: a Status value. */
    this.errno = code;
    /** Every member of the library's error JSON. */
    this.details = Object.freeze({ ...(opts.details ?? { code, message }) });
  }

  get name() {
    return this.constructor.name;
  }
}

class InvalidArgumentError extends McpOAuthError {}
class BadHandleError extends McpOAuthError {}
class ConfigError extends McpOAuthError {
  constructor(message, opts = {}) {
    super(message, opts);
    /** The configuration field at fault ("" when not known). */
    this.field = this.details.field ?? '';
  }
}
class NetworkError extends McpOAuthError {}
/**
 * A request, a wait for the browser or device polling ran out of time, or a
 * device code expired (details.error 'expired_token'). Not the DOMException
 * named 'TimeoutError' that an AbortSignal.timeout() signal rejects with
 * (hence the prefix); formerly exported as TimeoutError, a name still
 * exported (deprecated).
 */
class McpOAuthTimeoutError extends McpOAuthError {}
/** The authorization server answered with an OAuth error (RFC 6749 §5.2). */
class OAuthError extends McpOAuthError {
  constructor(message, opts = {}) {
    super(message, opts);
    const d = this.details;
    this.error = d.error ?? '';
    this.errorDescription = d.error_description ?? '';
    this.errorUri = d.error_uri ?? '';
    this.status = d.status ?? 0;
  }
}
class ProtocolError extends McpOAuthError {}
class StateMismatchError extends McpOAuthError {}
/** The authorization response carried error= (e.g. access_denied). */
class AuthorizationDeniedError extends McpOAuthError {
  constructor(message, opts = {}) {
    super(message, opts);
    const d = this.details;
    this.error = d.error ?? '';
    this.errorDescription = d.error_description ?? '';
    this.errorUri = d.error_uri ?? '';
  }
}
class AuthorizationRequiredError extends McpOAuthError {}
class IssuerMismatchError extends McpOAuthError {}
class UnsupportedError extends McpOAuthError {}
class InternalError extends McpOAuthError {}
/** The server answered with an HTTP error status and no OAuth error body. */
class ServerError extends McpOAuthError {
  constructor(message, opts = {}) {
    super(message, opts);
    /** HTTP status of the response. */
    this.status = this.details.status ?? 0;
  }
}

/**
 * The MCP server answered a request with a JSON-RPC error, or the MCP session
 * failed. `rpcCode` is the JSON-RPC error code (null when there was none).
 */
class McpError extends McpOAuthError {
  constructor(message, opts = {}) {
    super(message, opts);
    /** The JSON-RPC error code, e.g. -32602; null for a session failure. */
    this.rpcCode = typeof this.details.rpc_code === 'number' ? this.details.rpc_code : null;
  }
}
/** MCP authorization discovery failed (no usable metadata, no PKCE S256, a refused URL, ...). */
class DiscoveryError extends McpOAuthError {}
/** The protected resource metadata names another resource than the MCP server (RFC 9728 §3.3). */
class ResourceMismatchError extends McpOAuthError {}
/** The client could not be identified to the authorization server (e.g. dynamic registration refused). */
class RegistrationError extends McpOAuthError {
  constructor(message, opts = {}) {
    super(message, opts);
    const d = this.details;
    this.error = d.error ?? '';
    this.errorDescription = d.error_description ?? '';
    /** HTTP status of the registration response (0 when none). */
    this.status = d.status ?? 0;
  }
}
/** The MCP server still answered insufficient_scope after 3 authorization attempts. */
class InsufficientScopeError extends McpOAuthError {}
/**
 * The call was ended by manager.cancel(). (A call given an AbortSignal that
 * was aborted rejects with the signal's reason instead.) Formerly exported as
 * CancelledError, a name still exported (deprecated).
 */
class McpOAuthCancelledError extends McpOAuthError {}
/**
 * The MCP server answered 401 to an access token obtained just after it had
 * refused the previous one: it does not take this client's tokens (issued for
 * another resource, by another authorization server, with scopes it does not
 * accept). `status` is 401; `error` and `errorDescription` come from its
 * WWW-Authenticate challenge, when it sent them.
 */
class TokenRejectedError extends McpOAuthError {
  constructor(message, opts = {}) {
    super(message, opts);
    const d = this.details;
    this.error = d.error ?? '';
    this.errorDescription = d.error_description ?? '';
    this.status = d.status ?? 0;
  }
}

const CLASSES = new Map([
  [Status.INVALID_ARGUMENT, InvalidArgumentError],
  [Status.BAD_HANDLE, BadHandleError],
  [Status.CONFIG, ConfigError],
  [Status.NETWORK, NetworkError],
  [Status.TIMEOUT, McpOAuthTimeoutError],
  [Status.OAUTH, OAuthError],
  [Status.PROTOCOL, ProtocolError],
  [Status.STATE_MISMATCH, StateMismatchError],
  [Status.AUTHORIZATION_DENIED, AuthorizationDeniedError],
  [Status.AUTHORIZATION_REQUIRED, AuthorizationRequiredError],
  [Status.ISSUER_MISMATCH, IssuerMismatchError],
  [Status.UNSUPPORTED, UnsupportedError],
  [Status.INTERNAL, InternalError],
  [Status.SERVER, ServerError],
  [Status.MCP, McpError],
  [Status.DISCOVERY, DiscoveryError],
  [Status.RESOURCE_MISMATCH, ResourceMismatchError],
  [Status.REGISTRATION, RegistrationError],
  [Status.INSUFFICIENT_SCOPE, InsufficientScopeError],
  [Status.CANCELLED, McpOAuthCancelledError],
  [Status.TOKEN_REJECTED, TokenRejectedError],
]);

/**
 * errorFor builds the error for a failed call from its status code and the
 * out_error JSON (null when the function has no out_error). `fallback` gives
 * the static text for a code (mcp_oauth_strerror).
 */
function errorFor(code, errorJSON, fallback) {
  let details = null;
  if (typeof errorJSON === 'string' && errorJSON !== '') {
    try {
      const parsed = JSON.parse(errorJSON);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) details = parsed;
    } catch {
      // fall through: a library too new or broken; keep the code.
    }
  }
  if (details === null) details = { code, message: fallback(code) };
  if (typeof details.code !== 'number') details.code = code;
  const message = typeof details.message === 'string' && details.message !== ''
    ? details.message
    : fallback(code);
  const Cls = CLASSES.get(code) ?? McpOAuthError;
  return new Cls(message, { errno: code, details });
}

/** errorOf makes a binding-side error for a code (no library call involved). */
function errorOf(code, message, extra = {}) {
  const Cls = CLASSES.get(code) ?? McpOAuthError;
  return new Cls(message, { errno: code, details: { code, message, ...extra } });
}

module.exports = {
  Status,
  McpOAuthError,
  InvalidArgumentError,
  BadHandleError,
  ConfigError,
  NetworkError,
  McpOAuthTimeoutError,
  OAuthError,
  ProtocolError,
  StateMismatchError,
  AuthorizationDeniedError,
  AuthorizationRequiredError,
  IssuerMismatchError,
  UnsupportedError,
  InternalError,
  ServerError,
  McpError,
  DiscoveryError,
  ResourceMismatchError,
  RegistrationError,
  InsufficientScopeError,
  McpOAuthCancelledError,
  TokenRejectedError,
  errorFor,
  errorOf,
};
